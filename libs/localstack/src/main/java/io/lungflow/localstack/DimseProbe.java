package io.lungflow.localstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A well-behaved PACS during a benchmark stage: dcmtk's {@code storescu} stores one small chest
 * CT slice a second as calling AE PACS_LOCAL, and each store's wall time and exit status are kept.
 * Where storescu is not installed, it does nothing and says so.
 */
final class DimseProbe {

    private final String host;
    private final String port;
    private final List<Long> stored = Collections.synchronizedList(new ArrayList<>());
    private final List<Integer> failed = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean running = true;
    private Thread thread;
    private boolean available;

    private DimseProbe(String hostPort) {
        String[] parts = hostPort.split(":");
        this.host = parts[0];
        this.port = parts[1];
    }

    static DimseProbe start(String hostPort) throws Exception {
        DimseProbe probe = new DimseProbe(hostPort);
        probe.available = installed();
        if (probe.available) {
            Path file = Files.createTempFile("lungflow-bench-", ".dcm");
            Files.write(file, HostileImages.ct256());
            file.toFile().deleteOnExit();
            probe.thread = new Thread(() -> probe.loop(file), "pacs-probe");
            probe.thread.setDaemon(true);
            probe.thread.start();
        }
        return probe;
    }

    boolean available() {
        return available;
    }

    void stop() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(60_000);
        }
    }

    String summary() {
        List<Long> sorted;
        synchronized (stored) {
            sorted = new ArrayList<>(stored);
        }
        Collections.sort(sorted);
        long p50 = sorted.isEmpty() ? 0 : sorted.get((sorted.size() - 1) / 2);
        long p99 = sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(0.99 * sorted.size()) - 1));
        return String.format(Locale.ROOT, "%d stored, %d failed %s, p50 %d ms, p99 %d ms", sorted.size(), failed.size(), failed, p50, p99);
    }

    private void loop(Path file) {
        while (running) {
            long started = System.nanoTime();
            try {
                Process p = new ProcessBuilder("storescu", "-aet", "PACS_LOCAL", "-aec", "LUNGFLOW", "-to", "30", host, port, file.toString())
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    failed.add(-1);
                } else if (p.exitValue() == 0) {
                    stored.add((System.nanoTime() - started) / 1_000_000);
                } else {
                    failed.add(p.exitValue());
                }
                long rest = 1000 - (System.nanoTime() - started) / 1_000_000;
                if (rest > 0) {
                    Thread.sleep(rest);
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                failed.add(-2);
            }
        }
    }

    private static boolean installed() {
        try {
            Process p = new ProcessBuilder("storescu", "--version").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
