package io.lungflow.ingest.quota;

import io.lungflow.platform.problem.Problem;
import io.lungflow.platform.problem.ProblemException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A request body that must keep a minimum pace: once the grace period has passed, the average
 * rate since the request began must stay at or above the minimum, or the upload is refused with
 * 408. Stops a client that trickles a byte at a time from holding a connection and a worker for
 * as long as it likes; a body that stops altogether is ended by the HTTP read timeout.
 */
public final class MinimumRateInputStream extends FilterInputStream {

    private final long minBytesPerSecond;
    private final long graceNanos;
    private final LongSupplier nanoClock;
    private final long start;
    private long received;

    public MinimumRateInputStream(InputStream body, long minBytesPerSecond, Duration grace, LongSupplier nanoClock) {
        super(body);
        this.minBytesPerSecond = minBytesPerSecond;
        this.graceNanos = grace.toNanos();
        this.nanoClock = nanoClock;
        this.start = nanoClock.getAsLong();
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        count(b < 0 ? -1 : 1);
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        count(n);
        return n;
    }

    private void count(int n) {
        if (n > 0) {
            received += n;
        }
        long elapsed = nanoClock.getAsLong() - start;
        if (n >= 0 && elapsed > graceNanos && received * 1_000_000_000d / elapsed < minBytesPerSecond) {
            throw new ProblemException(Problem.of(408, "upload-too-slow", "Request timeout", String.format(
                    "The body arrived at %.0f bytes/s on average over %d s; uploads must keep at least %d bytes/s "
                            + "(lungflow.ingest.quota.min-body-rate). Nothing was stored.",
                    received * 1_000_000_000d / elapsed, elapsed / 1_000_000_000L, minBytesPerSecond)));
        }
    }
}
