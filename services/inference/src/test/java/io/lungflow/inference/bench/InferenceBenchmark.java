package io.lungflow.inference.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lungflow.inference.Publisher;
import io.lungflow.inference.TestModels;
import io.lungflow.inference.engine.LoadedModel;
import io.lungflow.inference.engine.PreparedBatch;
import io.lungflow.inference.engine.TensorFlowEngine;

import io.lungflow.schemas.EventJson;
import io.lungflow.modelkit.ModelArtifact;
import io.lungflow.schemas.ModelManifest;
import io.lungflow.schemas.ModelStatus;
import io.lungflow.schemas.Role;
import io.lungflow.schemas.ScanIngested;
import io.lungflow.schemas.ScanPredicted;
import io.lungflow.schemas.Topics;
import io.lungflow.testkit.ChildProcess;
import io.lungflow.testkit.Infrastructure;
import io.lungflow.testkit.KafkaServer;
import io.lungflow.testkit.ObjectStore;
import io.lungflow.testkit.PackagedService;
import io.lungflow.training.arch.SmallCnn;
import io.lungflow.imaging.SyntheticImages;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * {@code ./lungflow bench inference}: on this machine, in one run, the raw DJL predictor's
 * throughput for a 224×224×1 CNN at batch 1, 8 and 32; the inference service's end-to-end
 * throughput through Kafka and S3 on the same model; their ratio; latency from scans.ingested to
 * scans.predicted at a sustainable rate; and the service's resident memory over 10,000
 * predictions. Prints a table and writes JSON.
 */
public final class InferenceBenchmark {

    private static final String MODEL = "bench-cnn";
    private static final String MODALITY = "BN";
    private static final int RAW_SECONDS = 10;
    private static final int WARM_UP = 1000;

    public static void main(String[] args) throws Exception {
        Path json = Path.of(option(args, "--json", "target/inference-benchmark.json"));
        int saturate = Integer.parseInt(option(args, "--scans", "1500"));
        int memoryPredictions = Integer.parseInt(option(args, "--memory-predictions", "10000"));
        Path app = Path.of(option(args, "--app", "target/quarkus-app/quarkus-run.jar"));
        String given = option(args, "--model", null);
        Path work = Files.createTempDirectory("lungflow-bench");

        ModelManifest manifest;
        Path modelDir;
        String described;
        if (given != null) {
            // A trained version (./lungflow train's output), served as it is.
            modelDir = Path.of(given).toAbsolutePath();
            manifest = ModelArtifact.readManifest(modelDir);
            described = manifest.name() + " " + manifest.version() + " (" + manifest.architecture() + ", " + manifest.input().height() + "×"
                    + manifest.input().width() + ")";
            System.out.println("Serving " + described + " from " + modelDir);
        } else {
            System.out.println("Exporting a 224×224×1 CNN (" + SmallCnn.standard(224) + ") with seeded weights...");
            manifest = TestModels.random(work, SmallCnn.standard(224), MODEL, "1", 1);
            modelDir = work.resolve(MODEL + "-1");
            described = SmallCnn.standard(224).toString();
        }
        String modelName = manifest.name();

        ObjectNode report = EventJson.mapper().createObjectNode();
        report.put("machine", Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.arch"));
        report.put("model", described);

        System.out.println("Raw predictor (DJL, TensorFlow 2.16.1, 2 intra-op threads), nothing else running:");
        ObjectNode raw = report.putObject("rawPredictorImagesPerSecond");
        double rawBest = 0;
        TensorFlowEngine engine = new TensorFlowEngine(BenchConfig.config());
        double rawCpuPerImage = 0;
        try (LoadedModel model = LoadedModel.load(engine, modelDir, manifest)) {
            for (int batch : new int[] {1, 8, 32}) {
                double[] measured = rawThroughput(model, batch);
                double perSecond = measured[0];
                if (perSecond > rawBest) {
                    rawCpuPerImage = measured[1];
                }
                raw.put("batch" + batch, round(perSecond));
                raw.put("batch" + batch + "MillisPerImage", round(1000 / perSecond));
                rawBest = Math.max(rawBest, perSecond);
                System.out.printf(Locale.ROOT, "  batch %2d: %8.1f images/s (%.1f ms an image)%n", batch, perSecond, 1000 / perSecond);
            }
        }

        KafkaServer kafka = Infrastructure.kafka();
        ObjectStore s3 = Infrastructure.objectStore();
        int port = ChildProcess.freePort();
        Map<String, String> env = PackagedService.environment(kafka, s3, port, Map.of(
                "LUNGFLOW_INFERENCE_ROUTES_" + MODALITY, modelName,
                "LUNGFLOW_INFERENCE_MODEL_CACHE", work.resolve("cache").toString(),
                "TF_CPP_MIN_LOG_LEVEL", "2"));
        try (Publisher publisher = new Publisher(kafka.bootstrapServers(), s3);
                Results results = new Results(kafka.bootstrapServers())) {
            publisher.version(manifest, publisher.upload(modelDir, manifest), ModelStatus.ACTIVE, null);
            ChildProcess service = PackagedService.start("inference", app, env, work.resolve("inference.log"), port, List.of("-Xmx1g", "-XX:+UseSerialGC"));
            try {
                byte[][] images = images(64);
                // Warm-up: the service loads the model, the broker creates the topics, and the JIT
                // compiles the service's hot paths (Kafka, S3 client, decoding) before anything is timed.
                results.await(publisher.backlog(images, WARM_UP, MODALITY), Duration.ofMinutes(5));

                System.out.printf("End to end: %d scans stored, then announced at once, through Kafka and S3...%n", saturate);
                List<String> batch = publisher.backlog(images, saturate, MODALITY);
                CpuTime cpu = new CpuTime(service.pid());
                List<ScanPredicted> done = results.await(batch, Duration.ofMinutes(10));
                Map<String, Double> cpuPerScan = cpu.millisPerItem(saturate);
                double e2e = steadyThroughput(done);
                double ratio = e2e / rawBest;
                report.putObject("endToEnd").put("scans", saturate).put("scansPerSecond", round(e2e));
                report.put("ratio", Math.round(ratio * 1000) / 1000.0);
                System.out.printf(Locale.ROOT, "  %.1f scans/s end to end; ratio to the best raw batch: %.3f (target ≥ 0.8)%n", e2e, ratio);
                var cpuReport = report.putObject("cpuMillisPerScan");
                cpuPerScan.forEach((who, ms) -> cpuReport.put(who, round(ms)));
                System.out.printf(Locale.ROOT, "  CPU per scan: inference service %.1f ms, object store %.1f ms, broker and load generator %.1f ms"
                        + " (raw predictor: %.1f ms per image)%n", cpuPerScan.get("service"), cpuPerScan.get("objectStore"),
                        cpuPerScan.get("brokerAndLoad"), rawCpuPerImage);

                double rate = e2e * 0.5;
                int paced = (int) Math.max(100, rate * 30);
                System.out.printf(Locale.ROOT, "Latency: %d scans at %.1f/s (half the end-to-end throughput)...%n", paced, rate);
                List<String> pacedScans = new ArrayList<>();
                long start = System.nanoTime();
                for (int i = 0; i < paced; i++) {
                    long due = start + (long) (i * 1e9 / rate);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    pacedScans.add(publisher.scan(images[i % images.length], MODALITY, ScanIngested.Scope.in()));
                }
                double[] latencies = results.await(pacedScans, Duration.ofMinutes(5)).stream()
                        .mapToDouble(p -> Duration.between(p.ingestedAt(), p.predictedAt()).toNanos() / 1e6).sorted().toArray();
                double p50 = percentile(latencies, 0.5);
                double p99 = percentile(latencies, 0.99);
                report.putObject("latencyMillis").put("rate", round(rate)).put("p50", round(p50)).put("p99", round(p99));
                System.out.printf(Locale.ROOT, "  p50 %.1f ms, p99 %.1f ms from scans.ingested to scans.predicted%n", p50, p99);

                System.out.printf("Memory: resident size of the service over %d more predictions...%n", memoryPredictions);
                List<Long> rss = new ArrayList<>();
                int step = Math.max(1, memoryPredictions / 10);
                for (int done2 = 0; done2 < memoryPredictions; done2 += step) {
                    results.await(publisher.backlog(images, step, MODALITY), Duration.ofMinutes(10));
                    rss.add(residentKb(service.pid()));
                }
                var memory = report.putObject("residentMemoryKb");
                memory.putPOJO("afterEach" + step, rss);
                long growth = rss.get(rss.size() - 1) - rss.get(0);
                memory.put("growthFirstToLastKb", growth);
                System.out.printf(Locale.ROOT, "  resident %s KB after each %d predictions; %+d KB from first to last sample%n", rss, step, growth);
            } finally {
                service.close();
            }
        }
        Files.createDirectories(json.toAbsolutePath().getParent());
        EventJson.mapper().writerWithDefaultPrettyPrinter().writeValue(json.toFile(), report);
        System.out.println("Written " + json);
        System.exit(0);
    }

    /** Images per second, and CPU milliseconds per image, of back-to-back forward passes. */
    private static double[] rawThroughput(LoadedModel model, int batch) throws Exception {
        var prep = model.preprocessor();
        float[] data = new float[batch * prep.size()];
        Random random = new Random(batch);
        for (int i = 0; i < data.length; i++) {
            data[i] = random.nextFloat();
        }
        PreparedBatch prepared = new PreparedBatch(data, batch, prep.height(), prep.width(), prep.channels());
        for (int i = 0; i < 3; i++) {
            model.predict(prepared);
        }
        int images = 0;
        double cpuBefore = CpuTime.millis(ProcessHandle.current());
        long start = System.nanoTime();
        while (System.nanoTime() - start < RAW_SECONDS * 1_000_000_000L || images < 64) {
            model.predict(prepared);
            images += batch;
        }
        double perSecond = images / ((System.nanoTime() - start) / 1e9);
        return new double[] {perSecond, (CpuTime.millis(ProcessHandle.current()) - cpuBefore) / images};
    }

    /** Scans per second between the first and the last result, leaving out the start-up of the batch. */
    private static double steadyThroughput(List<ScanPredicted> results) {
        List<ScanPredicted> sorted = new ArrayList<>(results);
        sorted.sort((a, b) -> a.predictedAt().compareTo(b.predictedAt()));
        double seconds = Duration.between(sorted.get(0).predictedAt(), sorted.get(sorted.size() - 1).predictedAt()).toNanos() / 1e9;
        return (sorted.size() - 1) / seconds;
    }

    private static byte[][] images(int n) throws Exception {
        byte[][] out = new byte[n][];
        Random random = new Random(5);
        for (int i = 0; i < n; i++) {
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(SyntheticImages.image(i % 2, 256, random, false), "png", png);
            out[i] = png.toByteArray();
        }
        return out;
    }

    private static long residentKb(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private static double percentile(double[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    /** Follows scans.predicted and hands back ACTIVE results of the scans asked for. */
    private static final class Results implements AutoCloseable {
        private final KafkaConsumer<String, String> consumer;
        private final Map<String, ScanPredicted> seen = new HashMap<>();

        Results(String bootstrapServers) {
            Properties props = new Properties();
            props.put("bootstrap.servers", bootstrapServers);
            props.put("group.id", "bench-" + System.nanoTime());
            props.put("auto.offset.reset", "earliest");
            consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
            consumer.subscribe(List.of(Topics.SCANS_PREDICTED));
        }

        List<ScanPredicted> await(List<String> scans, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!seen.keySet().containsAll(scans)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + scans.stream().filter(seen::containsKey).count() + " of " + scans.size()
                            + " scans were predicted within " + timeout);
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    ScanPredicted p = EventJson.mapper().readValue(r.value(), ScanPredicted.class);
                    if (p.role() == Role.ACTIVE) {
                        seen.putIfAbsent(p.scanId(), p);
                    }
                }
            }
            return scans.stream().map(seen::get).toList();
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

}
