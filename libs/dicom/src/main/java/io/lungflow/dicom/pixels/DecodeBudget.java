package io.lungflow.dicom.pixels;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The memory a service lets its decodes hold together. Each decode takes what its image needs
 * ({@link ImageLimits#dicomDecodeBytes}, {@link ImageLimits#rasterDecodeBytes}) before it starts
 * and gives it back when done, so many small images decode side by side and a large one waits
 * for room instead of exhausting the heap. Waiting is fair: a large image is not starved by a
 * stream of small ones. One image never needs more than the whole budget: a larger need is
 * taken as all of it, so it runs alone.
 */
public final class DecodeBudget {

    private final int capacityKib;
    private final Semaphore kib;

    public DecodeBudget(long capacityBytes) {
        if (capacityBytes < 1024) {
            throw new IllegalArgumentException("a decode budget of " + capacityBytes + " bytes cannot hold an image");
        }
        this.capacityKib = (int) Math.min(Integer.MAX_VALUE, capacityBytes >> 10);
        this.kib = new Semaphore(capacityKib, true);
    }

    /** Room for {@code bytes} of decoding, waiting at most {@code wait}; {@link BudgetBusyException} when there was none in time. */
    public Lease take(long bytes, Duration wait) {
        int want = share(bytes);
        try {
            if (!kib.tryAcquire(want, wait.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new BudgetBusyException("Other images are being decoded: no room for " + (bytes >> 20) + " MiB within " + wait.toSeconds()
                        + " s (lungflow.images.decode-memory)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BudgetBusyException("Interrupted while waiting for decode memory");
        }
        return new Lease(want);
    }

    /** Room for {@code bytes}, however long the wait: for consumers whose only competitors are their own decodes. */
    public Lease take(long bytes) {
        int want = share(bytes);
        kib.acquireUninterruptibly(want);
        return new Lease(want);
    }

    /** Bytes not taken at this moment. */
    public long available() {
        return (long) kib.availablePermits() << 10;
    }

    public long capacity() {
        return (long) capacityKib << 10;
    }

    private int share(long bytes) {
        return (int) Math.max(1, Math.min(capacityKib, (bytes + 1023) >> 10));
    }

    /** What one decode holds; closing it more than once gives back once. */
    public final class Lease implements AutoCloseable {

        private int held;

        private Lease(int held) {
            this.held = held;
        }

        @Override
        public synchronized void close() {
            if (held > 0) {
                kib.release(held);
                held = 0;
            }
        }
    }

    /** No room in the budget within the wait: a transient condition, worth retrying. */
    public static final class BudgetBusyException extends RuntimeException {

        public BudgetBusyException(String message) {
            super(message);
        }
    }
}
