package io.lungflow.ingest.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lungflow.platform.problem.ProblemException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MinimumRateInputStreamTest {

    private long now = 0;

    @Test
    void aBodyThatTricklesIsRefusedWith408OnceTheGracePeriodHasPassed() throws IOException {
        InputStream body = new MinimumRateInputStream(new ByteArrayInputStream(new byte[100]), 1000, Duration.ofSeconds(10), () -> now);
        for (int i = 0; i < 10; i++) { // a byte a second is tolerated during the grace period
            now += 1_000_000_000L;
            assertThat(body.read()).isZero();
        }
        now += 1_000_000_000L;
        assertThatThrownBy(body::read).isInstanceOfSatisfying(ProblemException.class, e -> {
            assertThat(e.problem().status()).isEqualTo(408);
            assertThat(e.problem().detail()).contains("1 bytes/s on average over 11 s", "at least 1000 bytes/s");
        });
    }

    @Test
    void aBodyAtOrAboveTheMinimumRateIsReadToTheEnd() throws IOException {
        InputStream body = new MinimumRateInputStream(new ByteArrayInputStream(new byte[64 * 1024]), 1000, Duration.ofSeconds(1), () -> now);
        byte[] buffer = new byte[1000];
        long total = 0;
        for (int n; (n = body.read(buffer, 0, buffer.length)) >= 0; ) {
            total += n;
            now += 1_000_000_000L; // exactly the minimum rate
        }
        assertThat(total).isEqualTo(64 * 1024);
    }

    @Test
    void aSlowStartIsForgivenWhenTheAverageCatchesUp() throws IOException {
        InputStream body = new MinimumRateInputStream(new ByteArrayInputStream(new byte[30_000]), 1000, Duration.ofSeconds(5), () -> now);
        now += 8_000_000_000L; // nothing for 8 s, then 10,000 bytes at once: 1,250 bytes/s on average
        assertThat(body.read(new byte[10_000], 0, 10_000)).isEqualTo(10_000);
        assertThat(body.readAllBytes()).hasSize(20_000);
    }
}
