package io.lungflow.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lungflow.imaging.ClassNames;
import io.lungflow.imaging.SyntheticImages;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code ./lungflow demo}: the product end to end on the local stack. Trains a first model on a
 * dataset (a directory given, or synthetic images it makes), makes it ACTIVE (or SHADOW when one
 * already is), streams scans through ingest, prints the predictions as results receives them,
 * confirms their known labels as a radiologist would, and prints the live metrics that follow.
 *
 * <p>Usage: {@code Demo --state DIR --ingest URL --inference URL --results URL --trainer URL
 * [--dataset DIR] [--scans N] [--epochs N]}
 */
public final class Demo {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> SPLITS = Set.of("train", "val", "valid", "validation", "test");
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(30);

    private String source = "";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, String> args;

    private record Example(Path file, String truth) {
    }

    private final LocalCredentials credentials;

    private Demo(Map<String, String> args) {
        this.args = args;
        this.credentials = new LocalCredentials(Path.of(args.get("state")).resolve("security"));
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new LinkedHashMap<>();
        for (int i = 0; i + 1 < argv.length; i += 2) {
            args.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
        }
        try {
            new Demo(args).run();
        } catch (DemoException e) {
            System.err.println("demo: " + e.getMessage());
            System.exit(1);
        }
    }

    private void run() throws Exception {
        Path state = Path.of(args.get("state"));
        int scans = Integer.parseInt(args.getOrDefault("scans", "40"));
        boolean synthetic = !args.containsKey("dataset");
        Path datasets = Files.createDirectories(state.resolve("datasets"));
        Path dataset;
        String model;
        Map<String, Object> request = new LinkedHashMap<>();
        if (synthetic) {
            dataset = datasets.resolve("synthetic");
            if (!Files.isDirectory(dataset)) {
                say("Making a synthetic dataset (disks are 'covid', rings 'non-covid'; not medical images) in " + dataset);
                SyntheticImages.splitFolders(dataset, List.of("covid", "non-covid"), List.of("train", "val", "test"), 40, 48, 20201);
            }
            model = "covid-ct";
            request.put("name", model);
            request.put("architecture", "cnn");
            request.put("inputSize", 32);
            request.put("epochs", Integer.parseInt(args.getOrDefault("epochs", "20")));
        } else {
            Path given = Path.of(args.get("dataset")).toAbsolutePath().normalize();
            if (!Files.isDirectory(given)) {
                throw new DemoException("no dataset directory at " + given);
            }
            dataset = datasets.resolve(given.getFileName().toString());
            if (!Files.exists(dataset, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(dataset, given);
            }
            model = null; // the trainer names it after the dataset (covid-ct, covid-xray)
            // The recipe's full run (./lungflow train) is 20 to 50 epochs; a dozen keeps the demo to a few minutes.
            request.put("epochs", Integer.parseInt(args.getOrDefault("epochs", "12")));
        }
        request.put("dataset", Map.of("path", dataset.toString()));

        say("1/5 Training a first model on " + dataset + " (" + request.get("epochs") + " epochs)...");
        JsonNode queued = post(url("trainer", "/api/v1/training-runs"), request, 202);
        JsonNode run = awaitRun(queued.path("runId").asText());
        model = run.path("model").asText();
        String version = run.path("version").asText();
        JsonNode m = run.path("metrics");
        say(String.format(Locale.ROOT, "    %s %s: held-out n=%d accuracy %.3f sensitivity %.3f specificity %.3f AUC %.3f", model, version,
                m.path("n").asInt(), m.path("accuracy").asDouble(), m.path("sensitivity").asDouble(), m.path("specificity").asDouble(),
                m.path("auc").asDouble()));

        say("2/5 Rolling it out...");
        String role = "ACTIVE";
        boolean hasActive = false;
        for (JsonNode v : get(url("trainer", "/api/v1/models?model=" + model))) {
            hasActive |= "ACTIVE".equals(v.path("status").asText()) && !version.equals(v.path("version").asText());
        }
        if (hasActive) {
            role = "SHADOW";
            say("    " + model + " already has an ACTIVE version: the new one goes to SHADOW, and the promotion gate decides later.");
        }
        post(url("trainer", "/api/v1/models/" + model + "/versions/" + version + "/transitions"),
                Map.of("status", role, "reason", "./lungflow demo"), 200);
        String served = awaitServing(model, role, version);
        say("    inference serves " + model + " " + served + " as ACTIVE");

        String modality = model.contains("xray") ? "CR" : "CT";
        List<Example> examples = examples(synthetic ? dataset : Path.of(args.get("dataset")), scans);
        String source = synthetic ? "fresh synthetic images the model never saw" : this.source;
        say("3/5 Uploading " + examples.size() + " " + modality + " scans to ingest (" + source + ")...");
        Map<String, Example> uploaded = new LinkedHashMap<>();
        for (Example e : examples) {
            uploaded.put(upload(e.file(), modality), e);
        }

        say("4/5 Predictions as results receives them:");
        Map<String, JsonNode> predicted = new LinkedHashMap<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (predicted.size() < uploaded.size() && System.nanoTime() < deadline) {
            for (Map.Entry<String, Example> e : uploaded.entrySet()) {
                if (predicted.containsKey(e.getKey())) {
                    continue;
                }
                JsonNode scan = getOrNull(url("results", "/api/v1/scans/" + e.getKey()));
                if (scan != null && !"PENDING".equals(scan.path("status").asText())) {
                    predicted.put(e.getKey(), scan);
                    JsonNode a = scan.path("active");
                    say(String.format(Locale.ROOT, "    %s  truth %-16s %s %-16s P(covid)=%.3f  by %s", e.getKey().substring(0, 8), e.getValue().truth(),
                            scan.path("status").asText(), a.path("decision").asText("-"), a.path("positiveProbability").asDouble(Double.NaN),
                            a.path("version").asText("-")));
                }
            }
            Thread.sleep(300);
        }
        if (predicted.size() < uploaded.size()) {
            throw new DemoException((uploaded.size() - predicted.size()) + " scans were not predicted within 5 minutes; see ./lungflow logs inference");
        }

        say("5/5 Confirming each scan's known label, as a radiologist would on the review page...");
        for (Map.Entry<String, Example> e : uploaded.entrySet()) {
            if ("PREDICTED".equals(predicted.get(e.getKey()).path("status").asText())) {
                post(url("results", "/api/v1/scans/" + e.getKey() + "/label"), Map.of("label", e.getValue().truth()), 201);
            }
        }
        for (JsonNode p : get(url("results", "/api/v1/performance?model=" + model + "&version=" + served))) {
            say(String.format(Locale.ROOT, "    live %s %s %s on %d confirmed labels: sensitivity %s specificity %s PPV %s accuracy %s",
                    model, served, p.path("role").asText(), p.path("labelled").asLong(), rate(p.path("sensitivity")), rate(p.path("specificity")),
                    rate(p.path("ppv")), rate(p.path("accuracy"))));
            JsonNode cm = p.path("confusionMatrix");
            say("      confusion matrix (rows: confirmed label, columns: decision) " + cm.path("classes") + " " + cm.path("counts"));
        }
        say("");
        say("Next:");
        say("  review page   " + args.get("results") + "/review.html#token=" + credentials.token("demo-radiologist", Duration.ofHours(8), "radiologist"));
        say("                (keys 1-9 confirm, j/k move; signed in as demo-radiologist for 8 hours)");
        say("  MLOps page    " + args.get("trainer") + "/mlops.html#token=" + credentials.token("demo-mlops", Duration.ofHours(8), "mlops"));
        say("                (versions, live figures, promote, roll back, train on labels)");
        say("  APIs          " + args.get("results") + "/q/openapi   " + args.get("trainer") + "/q/openapi   " + args.get("ingest") + "/q/openapi   (OpenAPI 3)");
        say("demo complete");
    }

    private List<Example> examples(Path dir, int count) throws IOException {
        if (args.get("dataset") == null) {
            Random random = new Random(System.nanoTime());
            Path fresh = Files.createTempDirectory("lungflow-demo");
            List<Example> out = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Path file = fresh.resolve("scan-" + i + ".png");
                SyntheticImages.write(SyntheticImages.image(i % 2, 48, random, false), file);
                out.add(new Example(file, i % 2 == 0 ? "covid" : "non-covid"));
            }
            return out;
        }
        List<Example> all = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(Files::isRegularFile).filter(f -> f.toString().toLowerCase(Locale.ROOT).matches(".*\\.(png|jpe?g)$")).forEach(f -> {
                String folder = f.getParent().getFileName().toString();
                if (!SPLITS.contains(folder.toLowerCase(Locale.ROOT))) {
                    all.add(new Example(f, ClassNames.normalise(folder, Map.of())));
                }
            });
        }
        Set<String> training = trainingNames(dir);
        List<Example> test = all.stream().filter(e -> e.file().toString().contains("/test/")
                || (training != null && !training.contains(e.file().getFileName().toString()))).toList();
        List<Example> pool = new ArrayList<>(test.isEmpty() ? all : test);
        source = test.isEmpty() ? "sampled from the whole dataset, which names no test split: some were trained on"
                : "from the dataset's test split, which training held out";
        Collections.sort(pool, java.util.Comparator.comparing(e -> e.file().toString()));
        Collections.shuffle(pool, new Random(20201));
        if (pool.isEmpty()) {
            throw new DemoException("no PNG or JPEG images under " + dir);
        }
        return pool.subList(0, Math.min(count, pool.size()));
    }

    /**
     * File names a COVID-CT style {@code Data-split/<class>/*.txt} assigns to training ({@code train*}, {@code val*}),
     * or null when the dataset has no such lists. Files it does not assign are the held-out ones.
     */
    private static Set<String> trainingNames(Path dir) throws IOException {
        Path split = dir.resolve("Data-split");
        if (!Files.isDirectory(split)) {
            return null;
        }
        Set<String> names = new java.util.HashSet<>();
        try (Stream<Path> files = Files.walk(split)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".txt")).toList()) {
                String list = f.getFileName().toString().toLowerCase(Locale.ROOT);
                if (list.startsWith("train") || list.startsWith("val")) {
                    Files.readAllLines(f).stream().map(String::strip).filter(l -> !l.isEmpty()).forEach(names::add);
                }
            }
        }
        return names;
    }

    private String upload(Path file, String modality) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        // Datasets misname files (a JPEG called .png): declare what the bytes are, as a PACS would.
        boolean png = bytes.length > 4 && (bytes[0] & 0xff) == 0x89 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G';
        boolean jpeg = bytes.length > 2 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xd8;
        if (!png && !jpeg) {
            throw new DemoException(file + " is neither PNG nor JPEG");
        }
        String type = png ? "image/png" : "image/jpeg";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url("ingest", "/api/v1/scans"))).header("Content-Type", type)
                .header("X-API-Key", credentials.pacsApiKey()).header("Lungflow-Modality", modality).POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202) {
            throw new DemoException("ingest refused " + file + ": " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body()).path("scanId").asText();
    }

    private JsonNode awaitRun(String runId) throws Exception {
        long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
        int lastEpoch = -1;
        while (System.nanoTime() < deadline) {
            JsonNode run = get(url("trainer", "/api/v1/training-runs/" + runId));
            String status = run.path("status").asText();
            if ("SUCCEEDED".equals(status)) {
                return run;
            }
            if ("FAILED".equals(status)) {
                throw new DemoException("training failed: " + run.path("reason").asText());
            }
            if (run.path("epoch").asInt(-1) != lastEpoch && run.has("epoch")) {
                lastEpoch = run.path("epoch").asInt();
                say(String.format(Locale.ROOT, "    epoch %d/%d  loss %.4f  tune loss %.4f", lastEpoch, run.path("epochs").asInt(),
                        run.path("fitLoss").asDouble(), run.path("tuneLoss").asDouble()));
            }
            Thread.sleep(1000);
        }
        throw new DemoException("training did not finish within " + RUN_TIMEOUT.toMinutes() + " minutes");
    }

    /** Waits until inference serves an ACTIVE version of {@code model} (the new one, when it went ACTIVE); returns it. */
    private String awaitServing(String model, String role, String version) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode s : get(url("inference", "/api/v1/deployments")).path("serving")) {
                if (model.equals(s.path("model").asText()) && "ACTIVE".equals(s.path("role").asText())
                        && (!"ACTIVE".equals(role) || version.equals(s.path("version").asText()))) {
                    return s.path("version").asText();
                }
            }
            Thread.sleep(500);
        }
        throw new DemoException("inference did not load " + model + " within 3 minutes; see ./lungflow logs inference");
    }

    private String url(String service, String path) {
        return args.get(service) + path;
    }

    private JsonNode get(String url) throws Exception {
        JsonNode node = getOrNull(url);
        if (node == null) {
            throw new DemoException("GET " + url + " found nothing");
        }
        return node;
    }

    private JsonNode getOrNull(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", bearer("demo-viewer", "viewer")).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 404) {
            return null;
        }
        if (r.statusCode() != 200) {
            throw new DemoException("GET " + url + ": " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private JsonNode post(String url, Object body, int expected) throws Exception {
        // Labels are a radiologist's to confirm; training and transitions are MLOps'.
        String authorization = url.endsWith("/label") ? bearer("demo-radiologist", "radiologist") : bearer("demo-mlops", "mlops");
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            throw new DemoException("POST " + url + ": " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private String bearer(String subject, String role) throws Exception {
        return "Bearer " + credentials.token(subject, Duration.ofMinutes(30), role);
    }

    private static String rate(JsonNode n) {
        return n.isNumber() ? String.format(Locale.ROOT, "%.3f", n.asDouble()) : "n/a";
    }

    private static void say(String line) {
        System.out.println(line);
    }

    private static final class DemoException extends RuntimeException {
        DemoException(String message) {
            super(message);
        }
    }
}
