package io.lungflow.ingest.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import io.lungflow.ingest.TestImages;
import io.lungflow.testkit.Credentials;
import io.lungflow.testkit.KafkaResource;
import io.lungflow.testkit.S3Resource;
import io.lungflow.testkit.SecurityResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * One misbehaving client cannot crowd out the others: each client (a token's subject here) has its
 * own allowance of refused uploads, uploads in progress and body pace; past it, its uploads are
 * answered 429 before their bodies are read, while another client's uploads are accepted.
 */
@QuarkusTest
@TestProfile(QuotaIT.SmallAllowances.class)
@WithTestResource(SecurityResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(S3Resource.class)
class QuotaIT {

    /** Three refusals per ten minutes, two uploads at once, bodies of at least 2 KB/s after 2 s. */
    public static class SmallAllowances implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("lungflow.ingest.quota.refusals", "3", "lungflow.ingest.quota.refusal-period", "10m",
                    "lungflow.ingest.quota.concurrent-uploads", "2", "lungflow.ingest.quota.min-body-rate", "2K",
                    "lungflow.ingest.quota.body-grace", "2s");
        }
    }

    @TestHTTPResource("/")
    URL base;

    @Test
    void aClientLoopingOnBadInputIsTurnedAwayBeforeItsBodyIsReadWhileAnotherIsServed() throws Exception {
        String looping = Credentials.token("looping-sender", "pacs");
        for (int i = 0; i < 3; i++) {
            upload(looping, "not a png at all".getBytes(StandardCharsets.US_ASCII)).then().statusCode(400);
        }
        long asked = System.nanoTime();
        Response turnedAway = upload(looping, TestImages.png(64, 64, 1));
        // Held back (turned-away-delay, 1 s by default), so that a looping sender cannot ask hundreds of times a second.
        assertThat((System.nanoTime() - asked) / 1_000_000).isGreaterThanOrEqualTo(950);
        turnedAway.then().statusCode(429).contentType("application/problem+json")
                .body("type", endsWith("too-many-refused-uploads"))
                .body("detail", org.hamcrest.Matchers.containsString("More than 3 uploads"));
        // Three refusals per ten minutes refill one every 200 s.
        assertThat(Integer.parseInt(turnedAway.header("Retry-After"))).isBetween(190, 200);

        // Announced as 500 MB and never sent: answered at once, and the connection is closed rather than read on.
        try (RawUpload huge = new RawUpload(base, looping, 500L << 20)) {
            assertThat(huge.awaitStatusLine(10_000)).contains("429");
            assertThat(huge.closedByServer(10_000)).isTrue();
        }

        upload(Credentials.token("steady-sender", "pacs"), TestImages.png(64, 64, 2)).then().statusCode(202);
    }

    @Test
    void aClientWithAllItsUploadsInProgressWaitsAndATricklingBodyIsRefusedWith408() throws Exception {
        String parallel = Credentials.token("parallel-sender", "pacs");
        try (RawUpload first = new RawUpload(base, parallel, 100_000); RawUpload second = new RawUpload(base, parallel, 100_000)) {
            CompletableFuture<String> firstAnswer = CompletableFuture.supplyAsync(first::trickleUntilAnswered);
            CompletableFuture<String> secondAnswer = CompletableFuture.supplyAsync(second::trickleUntilAnswered);
            thirdUpload(parallel).then().statusCode(429)
                    .body("type", endsWith("too-many-concurrent-uploads")).header("Retry-After", equalTo("1"));
            upload(Credentials.token("other-sender", "pacs"), TestImages.png(64, 64, 4)).then().statusCode(202);

            // A byte every 200 ms is far below 2 KB/s: once the grace has passed, both are refused.
            assertThat(firstAnswer.get()).contains("408");
            assertThat(secondAnswer.get()).contains("408");
        }
        // Their slots are free again.
        upload(parallel, TestImages.png(64, 64, 5)).then().statusCode(202);
    }

    @Test
    void acceptedUploadsKeepTheirConnectionForTheNext() throws Exception {
        String token = Credentials.token("keep-alive-sender", "pacs");
        // Connections at once (as many as this profile allows a client) and bodies of many TCP segments, as a PACS gateway sends them.
        List<CompletableFuture<Void>> senders = new ArrayList<>();
        for (int connection = 0; connection < 2; connection++) {
            int first = 1000 + connection * 100;
            senders.add(CompletableFuture.runAsync(() -> sendOnOneConnection(token, first, 25)));
        }
        for (CompletableFuture<Void> sender : senders) {
            sender.get();
        }
    }

    private void sendOnOneConnection(String token, int firstSeed, int uploads) {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(60_000);
            for (int i = 0; i < uploads; i++) {
                byte[] png = TestImages.png(384, 384, firstSeed + i);
                OutputStream out = socket.getOutputStream();
                out.write(("POST /api/v1/scans HTTP/1.1\r\nHost: " + base.getHost() + "\r\nContent-Type: image/png\r\nAuthorization: Bearer "
                        + token + "\r\nContent-Length: " + png.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(png);
                out.flush();
                assertThat(readAnswer(socket.getInputStream())).as("upload %d on the same connection", i).startsWith("HTTP/1.1 202");
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** One HTTP/1.1 answer with a Content-Length body; returns its head. */
    private static String readAnswer(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("the server closed the connection after: " + head);
            }
            head.append((char) c);
        }
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
        if (length.find()) {
            in.readNBytes(Integer.parseInt(length.group(1)));
        }
        return head.toString();
    }

    /**
     * A third upload by the same client once the two raw ones hold their slots (until then it is
     * accepted, which costs no refusal, and tried again).
     */
    private static Response thirdUpload(String token) throws InterruptedException {
        for (int seed = 100; seed < 200; seed++) {
            Response r = upload(token, TestImages.png(64, 64, seed));
            if (r.statusCode() != 202) {
                return r;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the two trickling uploads never held their slots");
    }

    private static Response upload(String token, byte[] body) {
        return given().header("Authorization", "Bearer " + token).contentType("image/png").body(body).post("/api/v1/scans");
    }

    /** An upload written by hand: the headers announce {@code length} bytes; the body is sent only as the test says. */
    private static final class RawUpload implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;

        RawUpload(URL base, String token, long length) throws IOException {
            socket = new Socket(base.getHost(), base.getPort());
            out = socket.getOutputStream();
            in = socket.getInputStream();
            out.write(("POST /api/v1/scans HTTP/1.1\r\nHost: " + base.getHost() + "\r\nContent-Type: image/png\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        String awaitStatusLine(int millis) throws IOException {
            socket.setSoTimeout(millis);
            StringBuilder line = new StringBuilder();
            for (int c; (c = in.read()) >= 0 && c != '\n'; ) {
                line.append((char) c);
            }
            return line.toString();
        }

        /** Reads the rest of the answer; true if the server then closes the connection. */
        boolean closedByServer(int millis) throws IOException {
            socket.setSoTimeout(millis);
            try {
                while (in.read() >= 0) {
                    // the rest of the answer
                }
                return true;
            } catch (SocketTimeoutException stillOpen) {
                return false;
            }
        }

        /** Sends a byte every 200 ms until the server answers; returns its status line. */
        String trickleUntilAnswered() {
            try {
                socket.setSoTimeout(200);
                StringBuilder line = new StringBuilder();
                while (true) {
                    try {
                        int c = in.read();
                        if (c < 0 || c == '\n') {
                            return line.toString();
                        }
                        line.append((char) c);
                    } catch (SocketTimeoutException noAnswerYet) {
                        out.write(0);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                return "connection failed: " + e.getMessage();
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
