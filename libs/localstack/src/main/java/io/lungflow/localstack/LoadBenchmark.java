package io.lungflow.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lungflow.imaging.PngFiles;
import io.lungflow.imaging.SyntheticImages;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;

/**
 * {@code ./lungflow bench load}: uploads at a rising rate against the running local stack (with an
 * ACTIVE model), and for each rate prints the scans per second that reached PostgreSQL, the p50
 * and p99 latency from upload to persisted prediction (the time results' audit trail recorded the
 * ACTIVE prediction, in the same transaction as the prediction row), the CPU each service used and
 * its resident memory; then names the bottleneck. A last stage repeats a well-behaved rate while
 * hostile clients send oversized bodies, trickle bytes, truncate multipart bodies, send garbage
 * DICOM and decompression bombs (a deflated DICOM and a PNG that each declare hundreds of megabytes
 * of pixels), and hold DICOM associations open by dripping a byte at a time; it compares the
 * well-behaved latency with and without them, over HTTP and, where dcmtk's {@code storescu} is
 * installed, for a PACS storing one instance a second over DICOM.
 *
 * <p>Usage: {@code LoadBenchmark --state DIR --ingest URL --db JDBC_URL [--dicom HOST:PORT] [--rates 2,4,8,16,32] [--seconds 20]}.
 */
public final class LoadBenchmark {

    private static final List<String> SERVICES = List.of("ingest", "inference", "results", "trainer");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux

    private final Map<String, String> args;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final String apiKey;
    private final String hostileToken;
    private final List<byte[]> images = new ArrayList<>();
    private final Map<String, Long> persisted = new ConcurrentHashMap<>();
    private long auditCursor;

    private LoadBenchmark(Map<String, String> args) throws Exception {
        this.args = args;
        LocalCredentials credentials = new LocalCredentials(Path.of(args.get("state")).resolve("security"));
        this.apiKey = credentials.pacsApiKey();
        // The hostile clients are another sender (a token of their own), as a misconfigured integration would be.
        this.hostileToken = credentials.token("bench-misbehaving-sender", Duration.ofHours(2), "pacs");
        Random random = new Random(17);
        for (int i = 0; i < 400; i++) {
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(SyntheticImages.image(i % 2, 64, random, false), "png", png);
            images.add(png.toByteArray());
        }
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new LinkedHashMap<>();
        for (int i = 0; i + 1 < argv.length; i += 2) {
            args.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
        }
        new LoadBenchmark(args).run();
        System.exit(0);
    }

    record Stage(double offered, int sent, int accepted, int completed, double throughput, long p50, long p99, Map<String, Double> cores,
            Map<String, Long> rssMb, Map<String, Integer> notAccepted, double generatorCores, double machineBusy,
            long p99AfterTenSeconds) {

        boolean sustained() {
            return completed >= sent * 0.98 && throughput >= offered * 0.9 && p99 < 10_000;
        }
    }

    private void run() throws Exception {
        int seconds = Integer.parseInt(args.getOrDefault("seconds", "20"));
        List<Double> rates = new ArrayList<>();
        for (String r : args.getOrDefault("rates", "2,4,8,16,32").split(",")) {
            rates.add(Double.parseDouble(r.strip()));
        }
        try (Connection db = DriverManager.getConnection(args.get("db"), "postgres", System.getenv().getOrDefault("LUNGFLOW_DB_PASSWORD", "postgres"))) {
            auditCursor = lastSeq(db);
            System.out.printf(Locale.ROOT, "%-9s %6s %8s %9s %10s %8s %8s   %s%n", "offered/s", "sent", "accepted", "persisted", "persisted/s", "p50 ms",
                    "p99 ms", "CPU cores used, resident MB (ingest inference results trainer)");
            List<Stage> stages = new ArrayList<>();
            for (double rate : rates) {
                Stage s = stage(db, rate, seconds, false);
                stages.add(s);
                print(s, "");
                if (!s.sustained()) {
                    break;
                }
            }
            Stage best = stages.stream().filter(Stage::sustained).reduce((a, b) -> b).orElse(null);
            Stage limit = stages.get(stages.size() - 1);
            System.out.println();
            System.out.printf(Locale.ROOT, "Sustained: %s%n", best == null ? "none of the rates tried"
                    : String.format(Locale.ROOT, "%.1f scans/s persisted (offered %.0f/s), p50 %d ms, p99 %d ms", best.throughput(), best.offered(), best.p50(),
                            best.p99()));
            System.out.println("Bottleneck: " + bottleneck(limit));

            double calm = best == null ? rates.get(0) : Math.max(1, best.offered() / 2);
            String dicom = args.getOrDefault("dicom", "127.0.0.1:11112");
            DimseProbe pacsAlone = DimseProbe.start(dicom);
            Stage baseline = stage(db, calm, seconds, false);
            pacsAlone.stop();
            print(baseline, "  well-behaved only");
            HostileProcess hostile = new HostileProcess(hostileToken, dicom, args.get("ingest"));
            DimseProbe pacsAttacked = DimseProbe.start(dicom);
            Stage attacked = stage(db, calm, seconds, true, hostile);
            pacsAttacked.stop();
            print(attacked, "  with hostile clients");
            if (pacsAlone.available()) {
                System.out.printf(Locale.ROOT, "Well-behaved PACS over DICOM (storescu, one C-STORE a second): %s with hostile clients vs %s without%n",
                        pacsAttacked.summary(), pacsAlone.summary());
            } else {
                System.out.println("Well-behaved PACS over DICOM: not measured (dcmtk's storescu is not installed: apt-get install dcmtk)");
            }
            System.out.printf(Locale.ROOT, "Hostile clients (a process of their own at the lowest CPU priority, %.2f cores): %s; "
                    + "well-behaved p99 %d ms with them vs %d ms without (x%.2f), %d of %d accepted; "
                    + "uploads sent after the first 10 s: p99 %d ms with them vs %d ms without%n",
                    hostile.cores(), hostile.summary(), attacked.p99(), baseline.p99(), baseline.p99() == 0 ? 0 : (double) attacked.p99() / baseline.p99(), attacked.accepted(),
                    attacked.sent(), attacked.p99AfterTenSeconds(), baseline.p99AfterTenSeconds());
        }
    }

    private Stage stage(Connection db, double rate, int seconds, boolean withHostile) throws Exception {
        return stage(db, rate, seconds, withHostile, null);
    }

    /** Offers {@code rate} uploads a second for {@code seconds}, with {@code hostile} clients alongside when given. */
    private Stage stage(Connection db, double rate, int seconds, boolean withHostile, HostileProcess hostile) throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        AtomicInteger accepted = new AtomicInteger();
        Map<String, Integer> notAccepted = new ConcurrentHashMap<>();
        Map<String, long[]> cpuBefore = cpu();
        long generatorBefore = generatorCpuNanos();
        long[] machineBefore = machineTicks();
        ExecutorService senders = Executors.newFixedThreadPool(16);
        if (withHostile) {
            hostile.start();
        }
        long start = System.nanoTime();
        int total = (int) Math.round(rate * seconds);
        for (int i = 0; i < total; i++) {
            long due = start + (long) (i * 1e9 / rate);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            byte[] body = unique(images.get(i % images.size()), i);
            senders.submit(() -> {
                long sent = System.currentTimeMillis();
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(args.get("ingest") + "/api/v1/scans")).header("X-API-Key", apiKey)
                            .header("Content-Type", "image/png").header("Lungflow-Modality", "CT").timeout(Duration.ofSeconds(30))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 202) {
                        accepted.incrementAndGet();
                        sentAt.put(JSON.readTree(r.body()).path("scanId").asText(), sent);
                    } else {
                        notAccepted.merge(r.statusCode() + " " + JSON.readTree(r.body()).path("code").asText(), 1, Integer::sum);
                    }
                } catch (Exception e) {
                    notAccepted.merge(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), 1, Integer::sum);
                }
            });
        }
        senders.shutdown();
        senders.awaitTermination(2, TimeUnit.MINUTES);
        double sendSeconds = (System.nanoTime() - start) / 1e9;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            poll(db);
            if (sentAt.keySet().stream().allMatch(persisted::containsKey)) {
                break;
            }
            Thread.sleep(500);
        }
        if (withHostile) {
            hostile.stop();
        }
        Map<String, long[]> cpuAfter = cpu();
        double elapsed = (System.nanoTime() - start) / 1e9;
        double generatorCores = (generatorCpuNanos() - generatorBefore) / 1e9 / elapsed;
        long[] machineAfter = machineTicks();
        long allTicks = machineAfter[0] - machineBefore[0];
        double machineBusy = allTicks <= 0 ? Double.NaN : 1 - (machineAfter[1] - machineBefore[1]) / (double) allTicks;
        List<Long> latencies = new ArrayList<>();
        long lastDone = 0;
        for (Map.Entry<String, Long> e : sentAt.entrySet()) {
            Long done = persisted.get(e.getKey());
            if (done != null) {
                latencies.add(Math.max(0, done - e.getValue()));
                lastDone = Math.max(lastDone, done);
            }
        }
        Collections.sort(latencies);
        long firstSent = sentAt.values().stream().min(Long::compare).orElse(0L);
        // Uploads sent once the stage has run 10 s: by then a hostile sender has used up its refusal allowance.
        List<Long> later = new ArrayList<>();
        for (Map.Entry<String, Long> e : sentAt.entrySet()) {
            Long done = persisted.get(e.getKey());
            if (done != null && e.getValue() - firstSent >= 10_000) {
                later.add(Math.max(0, done - e.getValue()));
            }
        }
        Collections.sort(later);
        double window = latencies.isEmpty() ? sendSeconds : Math.max(sendSeconds, (lastDone - firstSent) / 1000.0);
        Map<String, Double> cores = new LinkedHashMap<>();
        Map<String, Long> rss = new LinkedHashMap<>();
        for (String s : SERVICES) {
            long[] b = cpuBefore.get(s);
            long[] a = cpuAfter.get(s);
            cores.put(s, a == null || b == null ? Double.NaN : (a[0] - b[0]) / (double) TICKS_PER_SECOND / elapsed);
            rss.put(s, a == null ? -1 : a[1] / 1024);
        }
        return new Stage(rate, total, accepted.get(), latencies.size(), latencies.size() / window, percentile(latencies, 0.50),
                percentile(latencies, 0.99), cores, rss, new java.util.TreeMap<>(notAccepted), generatorCores,
                machineBusy, percentile(later, 0.99));
    }

    /** The same image with a distinct text chunk, so that each upload is a new scan (scan ids come from the content). */
    private static byte[] unique(byte[] png, int n) {
        byte[] text = ("lungflow-bench-" + System.nanoTime() + "-" + n).getBytes(StandardCharsets.ISO_8859_1);
        byte[] type = "tEXt".getBytes(StandardCharsets.ISO_8859_1);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(type);
        crc.update(text);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, 33); // signature and IHDR
        out.writeBytes(new byte[] {(byte) (text.length >> 24), (byte) (text.length >> 16), (byte) (text.length >> 8), (byte) text.length});
        out.writeBytes(type);
        out.writeBytes(text);
        long c = crc.getValue();
        out.writeBytes(new byte[] {(byte) (c >> 24), (byte) (c >> 16), (byte) (c >> 8), (byte) c});
        out.write(png, 33, png.length - 33);
        return out.toByteArray();
    }

    /** New ACTIVE predictions recorded by results' audit trail since the last poll. */
    private void poll(Connection db) throws Exception {
        try (PreparedStatement s = db.prepareStatement("select seq, recorded_at, details from audit_record where kind = 'PREDICTION' and seq > ? order by seq")) {
            s.setLong(1, auditCursor);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    auditCursor = Math.max(auditCursor, rs.getLong(1));
                    JsonNode d = JSON.readTree(rs.getString(3));
                    if ("ACTIVE".equals(d.path("role").asText())) {
                        persisted.putIfAbsent(d.path("scanId").asText(), rs.getTimestamp(2).getTime());
                    }
                }
            }
        }
    }

    private static long lastSeq(Connection db) throws Exception {
        try (PreparedStatement s = db.prepareStatement("select coalesce(max(seq), 0) from audit_record"); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** CPU time of this load generator, hostile clients included. */
    private static long generatorCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** All CPU ticks of the machine and its idle ticks (idle + iowait), from /proc/stat. */
    private static long[] machineTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long all = 0;
            for (int i = 1; i < f.length; i++) {
                all += Long.parseLong(f[i]);
            }
            return new long[] {all, Long.parseLong(f[4]) + Long.parseLong(f[5])};
        } catch (Exception e) {
            return new long[] {0, 0};
        }
    }

    /** CPU ticks (user + system) and resident KB of each service, from /proc. */
    private Map<String, long[]> cpu() {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (String s : SERVICES) {
            try {
                String pid = Files.readString(Path.of(args.get("state"), "pids", s + ".pid")).strip();
                String stat = Files.readString(Path.of("/proc", pid, "stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                long rss = Files.readAllLines(Path.of("/proc", pid, "status")).stream().filter(l -> l.startsWith("VmRSS"))
                        .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(-1);
                out.put(s, new long[] {ticks, rss});
            } catch (Exception e) {
                out.put(s, null);
            }
        }
        return out;
    }

    private static String bottleneck(Stage s) {
        String busiest = s.cores().entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("?");
        double total = s.cores().values().stream().filter(v -> !v.isNaN()).mapToDouble(Double::doubleValue).sum();
        int cpus = Runtime.getRuntime().availableProcessors();
        return String.format(Locale.ROOT, "%s, using %.2f of the machine's %d cores at %.0f offered/s (the four services together %.2f; this "
                + "load generator runs on the same machine)%s", busiest, s.cores().get(busiest), cpus, s.offered(), total,
                total > cpus * 0.8 ? "; the machine's CPU is saturated" : "");
    }

    private static void print(Stage s, String note) {
        StringBuilder cores = new StringBuilder();
        for (String svc : SERVICES) {
            cores.append(String.format(Locale.ROOT, "%.2f/%dMB ", s.cores().get(svc), s.rssMb().get(svc)));
        }
        System.out.printf(Locale.ROOT, "%-9.1f %6d %8d %9d %10.1f %8d %8d   %s%s%s%n", s.offered(), s.sent(), s.accepted(), s.completed(), s.throughput(),
                s.p50(), s.p99(), cores, s.sustained() ? "" : " (not sustained)", note);
        System.out.printf(Locale.ROOT, "          this load generator %.2f cores; the machine %.0f%% busy%n", s.generatorCores(), 100 * s.machineBusy());
        if (!s.notAccepted().isEmpty()) {
            System.out.println("          not accepted: " + s.notAccepted());
        }
    }

    private static long percentile(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return -1;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }

    /**
     * The hostile clients in a process of their own, run at the lowest CPU priority ({@code nice
     * -n 19}): on this one machine they would otherwise take CPU from the services that an attacker
     * elsewhere could not, and the comparison would measure the load generator, not lungflow.
     * The child runs until its standard input closes, then prints what it was answered.
     */
    static final class HostileProcess {
        private final String token;
        private final String dicom;
        private final String ingest;
        private Process process;
        private java.io.BufferedReader out;
        private String summary = "not run";
        private double cores;

        HostileProcess(String token, String dicom, String ingest) {
            this.token = token;
            this.dicom = dicom;
            this.ingest = ingest;
        }

        void start() throws java.io.IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            process = new ProcessBuilder("nice", "-n", "19", java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                    Hostile.class.getName(), ingest, dicom).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            process.getOutputStream().write((token + "\n").getBytes(StandardCharsets.US_ASCII));
            process.getOutputStream().flush();
            out = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine(); // once it has made its bombs, which takes a while at the lowest priority
            if (!"READY".equals(line)) {
                throw new IllegalStateException("the hostile clients did not start: " + line);
            }
        }

        void stop() throws Exception {
            long started = process.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(System.currentTimeMillis());
            long cpu = process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
            cores = cpu / 1e6 / Math.max(1, System.currentTimeMillis() - started);
            process.getOutputStream().close();
            String rest = out.lines().collect(java.util.stream.Collectors.joining("\n"));
            process.waitFor(2, TimeUnit.MINUTES);
            summary = rest.lines().filter(l -> l.startsWith("SUMMARY ")).map(l -> l.substring(8)).findFirst().orElse("no summary: " + rest.strip());
        }

        String summary() {
            return summary;
        }

        double cores() {
            return cores;
        }
    }

    /** Clients that misbehave at volume; each kind counts the answers it got. */
    static final class Hostile {

        /** Runs in the child {@link HostileProcess} starts: {@code Hostile INGEST_URL DICOM_HOST:PORT}, the token on the first line of input. */
        public static void main(String[] argv) throws Exception {
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.US_ASCII));
            Hostile hostile = new Hostile(in.readLine(), argv[1]);
            System.out.println("READY"); // the bombs are made: the stage may start
            System.out.flush();
            AtomicBoolean running = new AtomicBoolean(true);
            Thread attack = new Thread(() -> hostile.run(argv[0], running), "hostile");
            attack.start();
            while (in.read() >= 0) {
                // until the benchmark closes our input
            }
            running.set(false);
            attack.join();
            System.out.println("SUMMARY " + hostile.summary());
            System.exit(0);
        }

        private static final int SLOW_CLIENTS = 20;
        /** Four times the node's per-peer allowance (4) and half its total (32), all from one address. */
        private static final int SLOW_ASSOCIATIONS = 16;
        private final Map<String, Map<Integer, AtomicInteger>> answers = new ConcurrentHashMap<>();
        private final Random random = new Random(5);
        private final String token;
        private final String dicom;

        private final byte[] dicomBomb = HostileImages.deflatedDicom(8000);
        private final byte[] pngBomb = PngFiles.zeros(16384, 6100, 16, PngFiles.RGBA);

        Hostile(String token, String dicom) {
            this.token = token;
            this.dicom = dicom;
        }

        void run(String ingest, AtomicBoolean running) {
            URI uri = URI.create(ingest);
            ExecutorService pool = Executors.newFixedThreadPool(SLOW_CLIENTS + SLOW_ASSOCIATIONS + 5);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (int i = 0; i < SLOW_CLIENTS; i++) {
                pool.submit(() -> slowClient(uri, running));
            }
            for (int i = 0; i < SLOW_ASSOCIATIONS; i++) {
                pool.submit(() -> slowAssociation(running));
            }
            pool.submit(() -> repeat(running, "deflated DICOM bomb (" + dicomBomb.length / 1024 + " KB, 8000² 16-bit)", () -> http.send(
                    post(ingest + "/api/v1/scans", "application/dicom", HttpRequest.BodyPublishers.ofByteArray(dicomBomb)),
                    HttpResponse.BodyHandlers.discarding()).statusCode()));
            pool.submit(() -> repeat(running, "PNG bomb (" + pngBomb.length / 1024 + " KB, 16384×6100 RGBA-16)", () -> http.send(
                    post(ingest + "/api/v1/scans", "image/png", HttpRequest.BodyPublishers.ofByteArray(pngBomb)),
                    HttpResponse.BodyHandlers.discarding()).statusCode()));
            pool.submit(() -> repeat(running, "oversized body (80 MB)", () -> http.send(post(ingest + "/api/v1/scans", "image/png",
                    HttpRequest.BodyPublishers.ofInputStream(() -> new ZeroStream(80L << 20))), HttpResponse.BodyHandlers.discarding()).statusCode()));
            pool.submit(() -> repeat(running, "truncated multipart (STOW-RS)", () -> http.send(post(ingest + "/dicomweb/studies",
                    "multipart/related; type=\"application/dicom\"; boundary=cut", HttpRequest.BodyPublishers.ofByteArray(
                            "--cut\r\nContent-Type: application/dicom\r\n\r\nDICM-but-cut-off".getBytes(StandardCharsets.US_ASCII))),
                    HttpResponse.BodyHandlers.discarding()).statusCode()));
            pool.submit(() -> repeat(running, "garbage DICOM", () -> {
                byte[] garbage = new byte[4096 + random.nextInt(4096)];
                random.nextBytes(garbage);
                System.arraycopy("DICM".getBytes(StandardCharsets.US_ASCII), 0, garbage, 128, 4);
                return http.send(post(ingest + "/api/v1/scans", "application/dicom", HttpRequest.BodyPublishers.ofByteArray(garbage)),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
            }));
            pool.shutdown();
            try {
                pool.awaitTermination(5, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private HttpRequest post(String url, String type, HttpRequest.BodyPublisher body) {
            return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", type).header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(60))
                    .POST(body).build();
        }

        interface Call {
            int send() throws Exception;
        }

        private void repeat(AtomicBoolean running, String kind, Call call) {
            while (running.get()) {
                int status;
                try {
                    status = call.send();
                } catch (Exception e) {
                    status = -1; // the connection was closed on it
                }
                answers.computeIfAbsent(kind, k -> new ConcurrentHashMap<>()).computeIfAbsent(status, k -> new AtomicInteger()).incrementAndGet();
            }
        }

        /** Announces a 1 MB upload and sends a byte a second until the server gives up on it or the stage ends. */
        private void slowClient(URI uri, AtomicBoolean running) {
            String kind = "slow client (1 byte/s)";
            while (running.get()) {
                int status = -1;
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 2000);
                    socket.setSoTimeout(1000);
                    OutputStream out = socket.getOutputStream();
                    out.write(("POST /api/v1/scans HTTP/1.1\r\nHost: " + uri.getHost() + "\r\nContent-Type: image/png\r\nAuthorization: Bearer " + token
                            + "\r\nContent-Length: 1048576\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    InputStream in = socket.getInputStream();
                    while (running.get()) {
                        out.write(0);
                        out.flush();
                        try {
                            byte[] head = in.readNBytes(12);
                            status = head.length == 12 ? Integer.parseInt(new String(head, 9, 3, StandardCharsets.US_ASCII)) : -1;
                            break;
                        } catch (java.net.SocketTimeoutException stillWaiting) {
                            // the server is still waiting for the body
                        }
                    }
                } catch (Exception e) {
                    status = -1;
                }
                answers.computeIfAbsent(kind, k -> new ConcurrentHashMap<>()).computeIfAbsent(status, k -> new AtomicInteger()).incrementAndGet();
            }
        }

        /**
         * Opens a DICOM association and sends the A-ASSOCIATE-RQ a byte every two seconds, never
         * completing it; counts how each ended (closed by the node, once its negotiation deadline passed).
         */
        private void slowAssociation(AtomicBoolean running) {
            String kind = "slow DICOM association (1 byte/2 s)";
            String[] hostPort = dicom.split(":");
            byte[] request = HostileImages.associateRequestStart();
            while (running.get()) {
                try (Socket socket = new Socket()) {
                    // From another address than the well-behaved PACS (127.0.0.1), as an attacker's would be: the node's
                    // allowance of unfinished associations is per peer address.
                    if (hostPort[0].startsWith("127.")) {
                        socket.bind(new InetSocketAddress("127.0.0.2", 0));
                    }
                    socket.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 2000);
                    socket.setSoTimeout(2000);
                    OutputStream out = socket.getOutputStream();
                    InputStream in = socket.getInputStream();
                    for (int i = 0; running.get(); i = (i + 1) % request.length) {
                        out.write(request[i]);
                        out.flush();
                        try {
                            if (in.read() < 0) {
                                break;
                            }
                            break; // an answer (an A-ASSOCIATE-RJ or A-ABORT): the node turned it away
                        } catch (java.net.SocketTimeoutException stillWaiting) {
                            // the node is still reading
                        }
                    }
                } catch (Exception e) {
                    // refused or reset: counted as closed below
                }
                answers.computeIfAbsent(kind, k -> new ConcurrentHashMap<>()).computeIfAbsent(-1, k -> new AtomicInteger()).incrementAndGet();
            }
        }

        String summary() {
            List<String> parts = new ArrayList<>();
            answers.forEach((kind, statuses) -> parts.add(kind + " " + statuses.entrySet().stream()
                    .map(e -> e.getValue().get() + "x " + (e.getKey() < 0 ? "closed" : e.getKey())).toList()));
            return String.join(", ", parts);
        }
    }

    /** {@code length} zero bytes, never held in memory. */
    static final class ZeroStream extends InputStream {
        private long left;

        ZeroStream(long length) {
            this.left = length;
        }

        @Override
        public int read() {
            return left-- > 0 ? 0 : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            java.util.Arrays.fill(b, off, off + n, (byte) 0);
            left -= n;
            return n;
        }
    }
}
