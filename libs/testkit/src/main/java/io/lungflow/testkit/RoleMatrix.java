package io.lungflow.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Checks who may call what: for every endpoint, a token of each role is let through (any status
 * but 401 and 403) exactly when the role is listed, and refused with a 403 problem otherwise; no
 * credentials, an expired token, a token signed by another key and an unknown API key are 401
 * problems. The requests go over real HTTP to the running service.
 */
public final class RoleMatrix {

    /** One endpoint: what to send and the roles that may. */
    public record Endpoint(String method, String path, String contentType, byte[] body, Set<String> roles) {

        public static Endpoint get(String path, String... roles) {
            return new Endpoint("GET", path, null, null, Set.of(roles));
        }

        public static Endpoint post(String path, String contentType, String body, String... roles) {
            return new Endpoint("POST", path, contentType, body.getBytes(java.nio.charset.StandardCharsets.UTF_8), Set.of(roles));
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String base;

    public RoleMatrix(String base) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /** Checks every endpoint; returns one line per request made, for the log. */
    public List<String> check(List<Endpoint> endpoints) throws Exception {
        List<String> log = new ArrayList<>();
        for (Endpoint e : endpoints) {
            for (String role : Credentials.ROLES) {
                HttpResponse<String> r = send(e, "Authorization", "Bearer " + Credentials.token("matrix-" + role, role));
                log.add(e.method() + " " + e.path() + " as " + role + " -> " + r.statusCode());
                if (e.roles().contains(role)) {
                    assertThat(r.statusCode()).as("%s %s as %s: %s", e.method(), e.path(), role, r.body()).isNotIn(401, 403);
                } else {
                    assertProblem(r, 403, e, role);
                }
            }
            assertProblem(send(e, null, null), 401, e, "nobody");
            assertProblem(send(e, "Authorization", "Bearer " + Credentials.expiredToken("matrix", first(e))), 401, e, "an expired token");
            assertProblem(send(e, "Authorization", "Bearer " + Credentials.foreignToken("matrix", first(e))), 401, e, "a foreign token");
            assertProblem(send(e, "X-API-Key", "not-a-key-of-this-deployment"), 401, e, "an unknown API key");
            HttpResponse<String> byKey = send(e, "X-API-Key", Credentials.apiKey(first(e)));
            assertThat(byKey.statusCode()).as("%s %s with the %s API key: %s", e.method(), e.path(), first(e), byKey.body()).isNotIn(401, 403);
        }
        return log;
    }

    private static String first(Endpoint e) {
        return Credentials.ROLES.stream().filter(e.roles()::contains).findFirst().orElseThrow();
    }

    private static void assertProblem(HttpResponse<String> r, int status, Endpoint e, String who) {
        assertThat(r.statusCode()).as("%s %s as %s: %s", e.method(), e.path(), who, r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).as("%s %s as %s", e.method(), e.path(), who)
                .startsWith("application/problem+json");
        assertThat(r.body()).contains("\"status\":" + status);
        if (status == 401) {
            assertThat(r.headers().firstValue("WWW-Authenticate")).isPresent();
        }
    }

    private HttpResponse<String> send(Endpoint e, String header, String value) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + e.path()));
        if (header != null) {
            b.header(header, value);
        }
        if (e.contentType() != null) {
            b.header("Content-Type", e.contentType());
        }
        b.method(e.method(), e.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(e.body()));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
