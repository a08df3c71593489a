package io.lungflow.ingest.quota;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.EstimationProbe;
import io.github.bucket4j.TimeMeter;
import io.lungflow.platform.problem.ProblemException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Each client's allowance on the upload endpoints: uploads in progress at once, uploads started
 * per second (token bucket, bursts of twice the rate), and refused uploads per period (token
 * bucket refilled one refusal at a time). A client that has used up its refusals is turned away
 * until one refills, so a sender looping on bad input costs a 429 per attempt instead of a body
 * read, parsed and refused, and the other clients keep their share of the machine.
 */
public final class ClientQuotas {

    /** The allowances of every client. */
    public record Limits(int concurrentUploads, int uploadsPerSecond, int refusals, Duration refusalPeriod) {

        public Limits {
            if (concurrentUploads < 1 || uploadsPerSecond < 1 || refusals < 1 || refusalPeriod.isNegative() || refusalPeriod.isZero()) {
                throw new IllegalArgumentException("Every upload quota must be positive: " + this);
            }
        }
    }

    private final Limits limits;
    private final TimeMeter clock;
    private final Cache<String, Client> clients;

    public ClientQuotas(Limits limits, TimeMeter clock) {
        this.limits = limits;
        this.clock = clock;
        // A client idle for longer than both windows has full allowances again, so forgetting it changes nothing.
        Duration idle = limits.refusalPeriod().compareTo(Duration.ofMinutes(10)) > 0 ? limits.refusalPeriod() : Duration.ofMinutes(10);
        this.clients = Caffeine.newBuilder().expireAfterAccess(idle).maximumSize(100_000).build();
    }

    /**
     * Admits one upload by {@code client}; the returned admission must be released when the
     * request ends.
     *
     * @throws ProblemException a 429 problem with Retry-After when one of the allowances is used up
     */
    public Admission admit(String client) {
        Client c = clients.get(client, k -> new Client());
        EstimationProbe refusals = c.refusals.estimateAbilityToConsume(1);
        if (!refusals.canBeConsumed()) {
            throw new TurnedAway("too-many-refused-uploads", "More than " + limits.refusals()
                    + " uploads from this client were refused within " + limits.refusalPeriod().toSeconds() + " s, so its uploads are "
                    + "turned away for now; one sender looping on bad input must not crowd out the others. Correct what those "
                    + "refusals said, then send again after Retry-After.", roundUp(refusals.getNanosToWaitForRefill()));
        }
        if (c.inFlight.incrementAndGet() > limits.concurrentUploads()) {
            c.inFlight.decrementAndGet();
            throw ProblemException.tooManyRequests("too-many-concurrent-uploads", "This client already has " + limits.concurrentUploads()
                    + " uploads in progress (lungflow.ingest.quota.concurrent-uploads); send the next when one has been answered.",
                    Duration.ofSeconds(1));
        }
        ConsumptionProbe started = c.starts.tryConsumeAndReturnRemaining(1);
        if (!started.isConsumed()) {
            c.inFlight.decrementAndGet();
            throw ProblemException.tooManyRequests("upload-rate-exceeded", "This client started more than " + limits.uploadsPerSecond()
                    + " uploads a second (lungflow.ingest.quota.uploads-per-second).", roundUp(started.getNanosToWaitForRefill()));
        }
        return new Admission(c);
    }

    /** A 429 for a client that has used up its refused uploads: its answer may be held back a while (see the filter). */
    public static final class TurnedAway extends ProblemException {
        TurnedAway(String code, String detail, Duration retryAfter) {
            super(io.lungflow.platform.problem.Problem.of(429, code, "Too many requests", detail), retryAfter, null);
        }
    }

    /** Uploads {@code client} has in progress now. */
    public int inFlight(String client) {
        Client c = clients.getIfPresent(client);
        return c == null ? 0 : c.inFlight.get();
    }

    private static Duration roundUp(long nanos) {
        return Duration.ofSeconds(Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L));
    }

    /** One admitted upload. */
    public static final class Admission {
        private final Client client;
        private final AtomicBoolean released = new AtomicBoolean();

        private Admission(Client client) {
            this.client = client;
        }

        /** The upload was refused for its content or its pace: it counts against the client's refusals. */
        public void refused() {
            client.refusals.tryConsume(1);
        }

        /** The upload has ended, however; releasing twice changes nothing. */
        public void release() {
            if (released.compareAndSet(false, true)) {
                client.inFlight.decrementAndGet();
            }
        }
    }

    private final class Client {
        final AtomicInteger inFlight = new AtomicInteger();
        final Bucket starts = Bucket.builder()
                .addLimit(l -> l.capacity(2L * limits.uploadsPerSecond()).refillGreedy(limits.uploadsPerSecond(), Duration.ofSeconds(1)))
                .withCustomTimePrecision(clock).build();
        final Bucket refusals = Bucket.builder()
                .addLimit(l -> l.capacity(limits.refusals()).refillGreedy(limits.refusals(), limits.refusalPeriod()))
                .withCustomTimePrecision(clock).build();
    }
}
