package io.lungflow.platform.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.BaseAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Checks an API key against the configured digests ({@link SecurityConfig#apiKeys()}), in constant time. */
@ApplicationScoped
public class ApiKeys implements IdentityProvider<ApiKeys.Request> {

    /** The key a client presented. */
    public static final class Request extends BaseAuthenticationRequest {
        private final String key;

        public Request(String key) {
            this.key = key;
        }
    }

    record Entry(String name, String role, byte[] sha256) {
    }

    private final List<Entry> entries = new ArrayList<>();

    ApiKeys(SecurityConfig config) {
        for (String entry : config.apiKeys().orElse(List.of())) {
            String[] parts = entry.strip().split(":");
            if (parts.length != 3 || !Roles.ALL.contains(parts[1]) || !parts[2].matches("[0-9a-fA-F]{64}")) {
                throw new IllegalArgumentException("lungflow.security.api-keys entry '" + (parts.length > 1 ? parts[0] + ":" + parts[1] + ":…" : "…")
                        + "' is not name:role:sha256hex with a role among " + Roles.ALL);
            }
            entries.add(new Entry(parts[0], parts[1], HexFormat.of().parseHex(parts[2])));
        }
    }

    @Override
    public Class<Request> getRequestType() {
        return Request.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(Request request, AuthenticationRequestContext context) {
        byte[] digest = sha256(request.key);
        Entry match = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.sha256(), digest)) {
                match = e;
            }
        }
        if (match == null) {
            return Uni.createFrom().failure(new AuthenticationFailedException("The API key is not one this service knows"));
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal("apikey:" + match.name()))
                .addRole(match.role()).build());
    }

    /** The hex SHA-256 to configure for {@code key}. */
    public static String digest(String key) {
        return HexFormat.of().formatHex(sha256(key));
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
