package io.lungflow.ingest.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bucket4j.TimeMeter;
import io.lungflow.platform.problem.ProblemException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientQuotasTest {

    private final ManualClock clock = new ManualClock();

    @Test
    void aClientWithAllItsUploadsInProgressIsToldToWaitAndOthersAreNot() {
        ClientQuotas quotas = new ClientQuotas(new ClientQuotas.Limits(2, 100, 10, Duration.ofMinutes(1)), clock);
        ClientQuotas.Admission first = quotas.admit("pacs-a");
        quotas.admit("pacs-a");

        assertThat(refusal(() -> quotas.admit("pacs-a"))).satisfies(e -> {
            assertThat(e.problem().status()).isEqualTo(429);
            assertThat(e.problem().type().toString()).endsWith("too-many-concurrent-uploads");
            assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(1));
        });
        assertThat(quotas.inFlight("pacs-a")).isEqualTo(2);
        quotas.admit("pacs-b");

        first.release();
        first.release(); // twice: counted once
        assertThat(quotas.inFlight("pacs-a")).isEqualTo(1);
        quotas.admit("pacs-a");
    }

    @Test
    void uploadsStartedFasterThanTheRateAreRefusedUntilTheBucketRefills() {
        ClientQuotas quotas = new ClientQuotas(new ClientQuotas.Limits(1000, 5, 10, Duration.ofMinutes(1)), clock);
        for (int i = 0; i < 10; i++) { // a burst of twice the rate
            quotas.admit("pacs-a").release();
        }
        ProblemException refused = refusal(() -> quotas.admit("pacs-a"));
        assertThat(refused.problem().type().toString()).endsWith("upload-rate-exceeded");
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(quotas.inFlight("pacs-a")).isZero();

        clock.advance(Duration.ofSeconds(1));
        for (int i = 0; i < 5; i++) {
            quotas.admit("pacs-a").release();
        }
        assertThat(refusal(() -> quotas.admit("pacs-a")).problem().status()).isEqualTo(429);
    }

    @Test
    void aClientLoopingOnBadInputIsTurnedAwayUntilOneRefusalRefillsWhileOthersAreServed() {
        ClientQuotas quotas = new ClientQuotas(new ClientQuotas.Limits(10, 100, 3, Duration.ofMinutes(1)), clock);
        for (int i = 0; i < 3; i++) {
            ClientQuotas.Admission a = quotas.admit("looping");
            a.refused();
            a.release();
        }
        ProblemException refused = refusal(() -> quotas.admit("looping"));
        assertThat(refused).isInstanceOf(ClientQuotas.TurnedAway.class);
        assertThat(refused.problem().type().toString()).endsWith("too-many-refused-uploads");
        assertThat(refused.problem().detail()).contains("More than 3 uploads", "within 60 s");
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(20)); // 3 a minute: one every 20 s
        assertThat(quotas.inFlight("looping")).isZero();
        quotas.admit("well-behaved").release();

        clock.advance(Duration.ofSeconds(19));
        assertThat(refusal(() -> quotas.admit("looping")).retryAfter()).isEqualTo(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        ClientQuotas.Admission again = quotas.admit("looping");
        again.refused();
        again.release();
        assertThat(refusal(() -> quotas.admit("looping")).problem().status()).isEqualTo(429);
    }

    @Test
    void acceptedUploadsNeverUseUpTheRefusalAllowance() {
        ClientQuotas quotas = new ClientQuotas(new ClientQuotas.Limits(10, 1000, 1, Duration.ofHours(1)), clock);
        List<ClientQuotas.Admission> admissions = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            ClientQuotas.Admission a = quotas.admit("busy");
            a.release();
            admissions.add(a);
            clock.advance(Duration.ofMillis(10));
        }
        assertThat(admissions).hasSize(500);
        assertThat(quotas.inFlight("busy")).isZero();
    }

    @Test
    void limitsMustBePositive() {
        assertThatThrownBy(() -> new ClientQuotas.Limits(0, 1, 1, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClientQuotas.Limits(1, 1, 1, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    private static ProblemException refusal(Runnable call) {
        try {
            call.run();
        } catch (ProblemException e) {
            return e;
        }
        throw new AssertionError("expected a 429 problem");
    }

    private static final class ManualClock implements TimeMeter {
        private long nanos = 1_000_000_000L;

        void advance(Duration d) {
            nanos += d.toNanos();
        }

        @Override
        public long currentTimeNanos() {
            return nanos;
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }
    }
}
