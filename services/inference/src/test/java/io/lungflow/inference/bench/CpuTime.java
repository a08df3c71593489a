package io.lungflow.inference.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time spent by the inference service, the object store (s3proxy) and this JVM (the Kafka
 * broker and the load generator) between its creation and {@link #millisPerItem}: where the cores
 * went while the service scored a backlog on one machine.
 */
final class CpuTime {

    private final ProcessHandle service;
    private final ProcessHandle objectStore;
    private final double serviceStart;
    private final double objectStoreStart;
    private final double selfStart;

    CpuTime(long servicePid) {
        this.service = ProcessHandle.of(servicePid).orElseThrow();
        this.objectStore = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("s3proxy")).orElse(false))
                .findFirst().orElse(null);
        this.serviceStart = millis(service);
        this.objectStoreStart = millis(objectStore);
        this.selfStart = millis(ProcessHandle.current());
    }

    Map<String, Double> millisPerItem(int items) {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("service", (millis(service) - serviceStart) / items);
        out.put("objectStore", (millis(objectStore) - objectStoreStart) / items);
        out.put("brokerAndLoad", (millis(ProcessHandle.current()) - selfStart) / items);
        return out;
    }

    /** Total CPU milliseconds of a process so far; 0 when unknown (e.g. no object store process, under Docker). */
    static double millis(ProcessHandle process) {
        if (process == null) {
            return 0;
        }
        return process.info().totalCpuDuration().map(d -> d.toNanos() / 1e6).orElse(0.0);
    }
}
