package io.lungflow.inference;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.lungflow.imaging.SyntheticImages;
import io.lungflow.inference.registry.CanarySplit;
import io.lungflow.schemas.Contract;
import io.lungflow.schemas.EventJson;
import io.lungflow.schemas.ModelDeployment;
import io.lungflow.schemas.ModelManifest;
import io.lungflow.schemas.ModelStatus;
import io.lungflow.schemas.ModelVersion;
import io.lungflow.schemas.Role;
import io.lungflow.schemas.ScanIngested;
import io.lungflow.schemas.ScanPredicted;
import io.lungflow.schemas.SchemaValidator;
import io.lungflow.schemas.Topics;
import io.lungflow.testkit.InjectInfrastructure;
import io.lungflow.testkit.KafkaResource;
import io.lungflow.testkit.KafkaServer;
import io.lungflow.testkit.ObjectStore;
import io.lungflow.testkit.S3Resource;
import io.lungflow.testkit.SecurityResource;
import io.lungflow.testkit.TopicReader;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Inference against a real broker and object store, with real models made by the trainer's code:
 * a scan waits until a model is ACTIVE and is then predicted by it; a new version takes over
 * mid-stream with no scan lost or scored twice in a role; a corrupt artifact is refused while the
 * old version serves; shadow and canary results carry their roles and shares; undecodable, missing
 * and out-of-scope scans are rejected with a reason. Each test routes its own modality to its own
 * model, so tests do not see each other's versions.
 */
@QuarkusTest
@WithTestResource(SecurityResource.class)
@TestProfile(InferenceIT.Routes.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(S3Resource.class)
class InferenceIT {

    /** Modality XA to model it-trained, XB to it-swap, and so on. */
    public static class Routes implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "lungflow.inference.routes.XA", "it-trained",
                    "lungflow.inference.routes.XB", "it-swap",
                    "lungflow.inference.routes.XC", "it-corrupt",
                    "lungflow.inference.routes.XD", "it-roles",
                    "lungflow.inference.routes.XE", "it-reject",
                    "lungflow.inference.routes.XF", "it-poison",
                    "lungflow.inference.max-batch", "8");
        }
    }

    private static final SchemaValidator SCHEMAS = new SchemaValidator();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static Path work;

    @InjectInfrastructure
    KafkaServer kafka;

    @InjectInfrastructure
    ObjectStore s3;

    @BeforeAll
    static void workDir() throws Exception {
        work = Files.createTempDirectory("inference-it");
    }

    @AfterAll
    static void clean() throws Exception {
        try (var walk = Files.walk(work)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URL base;

    @Test
    void theDeploymentsAreReadableByEveryRoleAndByNobodyWithoutCredentials() throws Exception {
        new io.lungflow.testkit.RoleMatrix(base.toString()).check(java.util.List.of(
                io.lungflow.testkit.RoleMatrix.Endpoint.get("/api/v1/deployments", "pacs", "radiologist", "mlops", "viewer")));
    }

    @Test
    void scansWaitForAnActiveModelThenGetItsPrediction() throws Exception {
        try (Publisher publisher = new Publisher(kafka.bootstrapServers(), s3)) {
            String disk = publisher.scan(png(0, 1), "XA", ScanIngested.Scope.in());
            String ring = publisher.scan(png(1, 2), "XA", ScanIngested.Scope.in());

            Thread.sleep(3000);
            assertThat(predictionsFor(disk)).as("nothing is answered without an ACTIVE model").isEmpty();
            given().get("/q/health/ready").then().statusCode(503).body(containsString("ACTIVE version of model it-trained"));

            ModelManifest manifest = TestModels.trained(work, "it-trained", "1");
            publisher.version(manifest, publisher.upload(TestModels.dir(work, manifest), manifest), ModelStatus.ACTIVE, null);

            ScanPredicted diskResult = await(disk, Role.ACTIVE);
            ScanPredicted ringResult = await(ring, Role.ACTIVE);
            assertThat(diskResult.outcome()).isEqualTo(ScanPredicted.Outcome.PREDICTED);
            assertThat(diskResult.model().version()).isEqualTo("1");
            // The decision is the positive class exactly when its probability reaches the served threshold.
            for (ScanPredicted r : List.of(diskResult, ringResult)) {
                assertThat(r.decision()).isEqualTo(r.probabilities().get("covid") >= r.threshold() ? "covid" : "non-covid");
            }
            assertThat(diskResult.decision()).isEqualTo("covid");
            assertThat(diskResult.probabilities()).containsOnlyKeys("covid", "non-covid");
            assertThat(diskResult.probabilities().get("covid")).isGreaterThan(ringResult.probabilities().get("covid"));
            assertThat(diskResult.threshold()).isEqualTo(manifest.threshold());
            assertThat(diskResult.timings().inferenceMs()).isNotNull();
            assertThat(diskResult.timings().fetchMs()).isNotNull();
        }
    }

    @Test
    void aNewVersionTakesOverMidStreamWithNoScanLostOrScoredTwice() throws Exception {
        try (Publisher publisher = new Publisher(kafka.bootstrapServers(), s3)) {
            ModelManifest v1 = TestModels.random(work, "it-swap", "1", 11);
            ModelManifest v2 = TestModels.random(work, "it-swap", "2", 22);
            publisher.version(v1, publisher.upload(TestModels.dir(work, v1), v1), ModelStatus.ACTIVE, null);
            List<String> before = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                before.add(publisher.scan(png(i % 2, 100 + i), "XB", ScanIngested.Scope.in()));
                if (i == 15) {
                    publisher.version(v2, publisher.upload(TestModels.dir(work, v2), v2), ModelStatus.ACTIVE, null);
                }
            }
            awaitDeployment("it-swap", "2", ModelDeployment.Outcome.LOADED);
            List<String> after = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                after.add(publisher.scan(png(i % 2, 200 + i), "XB", ScanIngested.Scope.in()));
            }
            List<String> all = new ArrayList<>(before);
            all.addAll(after);
            Map<String, List<ScanPredicted>> results = awaitAll(all, Role.ACTIVE);
            assertThat(results).allSatisfy((scan, active) -> assertThat(active).as("ACTIVE results of %s", scan).hasSize(1));
            for (String scan : after) {
                assertThat(results.get(scan).get(0).model().version()).isEqualTo("2");
            }
            assertThat(before.stream().map(s -> results.get(s).get(0).model().version()).collect(Collectors.toSet()))
                    .isSubsetOf("1", "2");
        }
    }

    @Test
    void aCorruptArtifactIsRefusedAndTheOldVersionKeepsServing() throws Exception {
        try (Publisher publisher = new Publisher(kafka.bootstrapServers(), s3)) {
            ModelManifest v1 = TestModels.random(work, "it-corrupt", "1", 31);
            publisher.version(v1, publisher.upload(TestModels.dir(work, v1), v1), ModelStatus.ACTIVE, null);
            assertThat(await(publisher.scan(png(0, 300), "XC", ScanIngested.Scope.in()), Role.ACTIVE).model().version()).isEqualTo("1");

            ModelManifest v2 = TestModels.random(work, "it-corrupt", "2", 32);
            ModelVersion.Artifact tampered = publisher.upload(TestModels.dir(work, v2), v2);
            publisher.overwrite(tampered, "variables/variables.index", new byte[] {1, 2, 3});
            publisher.version(v2, tampered, ModelStatus.ACTIVE, null);
            ModelDeployment failed = awaitDeployment("it-corrupt", "2", ModelDeployment.Outcome.FAILED);
            assertThat(failed.reason()).contains("variables/variables.index");

            ModelManifest v3 = TestModels.random(work, "it-corrupt", "3", 33);
            ModelVersion.Artifact wrongManifest = publisher.upload(TestModels.dir(work, v3), v3);
            publisher.version(v3, new ModelVersion.Artifact(wrongManifest.bucket(), wrongManifest.prefix(), "0".repeat(64)),
                    ModelStatus.ACTIVE, null);
            assertThat(awaitDeployment("it-corrupt", "3", ModelDeployment.Outcome.FAILED).reason()).contains("manifest.json has checksum");

            assertThat(await(publisher.scan(png(1, 301), "XC", ScanIngested.Scope.in()), Role.ACTIVE).model().version()).isEqualTo("1");
        }
    }

    @Test
    void shadowScoresEveryScanAndTheCanaryItsShare() throws Exception {
        try (Publisher publisher = new Publisher(kafka.bootstrapServers(), s3)) {
            ModelManifest active = TestModels.random(work, "it-roles", "1", 41);
            ModelManifest shadow = TestModels.random(work, "it-roles", "2", 42);
            ModelManifest canary = TestModels.random(work, "it-roles", "3", 43);
            publisher.version(active, publisher.upload(TestModels.dir(work, active), active), ModelStatus.ACTIVE, null);
            publisher.version(shadow, publisher.upload(TestModels.dir(work, shadow), shadow), ModelStatus.SHADOW, null);
            publisher.version(canary, publisher.upload(TestModels.dir(work, canary), canary), ModelStatus.CANARY, 0.3);
            awaitDeployment("it-roles", "2", ModelDeployment.Outcome.LOADED);
            awaitDeployment("it-roles", "3", ModelDeployment.Outcome.LOADED);
            awaitDeployment("it-roles", "1", ModelDeployment.Outcome.LOADED);

            List<String> scans = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                scans.add(publisher.scan(png(i % 2, 400 + i), "XD", ScanIngested.Scope.in()));
            }
            Map<String, List<ScanPredicted>> shadows = awaitAll(scans, Role.SHADOW);
            int canaries = 0;
            for (String scan : scans) {
                assertThat(shadows.get(scan)).singleElement().satisfies(p -> assertThat(p.model().version()).isEqualTo("2"));
                boolean toCanary = CanarySplit.inCanary(scan, 0.3);
                ScanPredicted shown = await(scan, toCanary ? Role.CANARY : Role.ACTIVE);
                assertThat(shown.model().version()).isEqualTo(toCanary ? "3" : "1");
                assertThat(predictionsFor(scan)).extracting(ScanPredicted::role)
                        .containsExactlyInAnyOrder(Role.SHADOW, toCanary ? Role.CANARY : Role.ACTIVE);
                canaries += toCanary ? 1 : 0;
            }
            assertThat(canaries).isBetween(1, 39);
        }
    }

    @Test
    void scansThatCannotBeScoredAreRejectedWithAReason() throws Exception {
        try (Publisher publisher = new Publisher(kafka.bootstrapServers(), s3)) {
            ModelManifest v1 = TestModels.random(work, "it-reject", "1", 51);
            publisher.version(v1, publisher.upload(TestModels.dir(work, v1), v1), ModelStatus.ACTIVE, null);

            String garbage = publisher.scan("not a png at all".getBytes(), "XE", ScanIngested.Scope.in());
            String missing = publisher.scan(png(0, 500), "XE", ScanIngested.Scope.in(), "image/png", false);
            String knee = publisher.scan(png(0, 501), "XE", ScanIngested.Scope.out("body part KNEE is not the chest"));

            assertRejected(await(garbage, Role.ACTIVE), ScanPredicted.RejectionCode.UNDECODABLE, "not a PNG or JPEG");
            assertRejected(await(missing, Role.ACTIVE), ScanPredicted.RejectionCode.OBJECT_MISSING, "does not exist");
            assertRejected(await(knee, Role.ACTIVE), ScanPredicted.RejectionCode.OUT_OF_SCOPE, "KNEE");
        }
    }

    @Test
    void anEventThatDoesNotParseGoesToTheDeadLetterTopicAndTheStreamGoesOn() throws Exception {
        try (Publisher publisher = new Publisher(kafka.bootstrapServers(), s3)) {
            ModelManifest v1 = TestModels.random(work, "it-poison", "1", 52);
            publisher.version(v1, publisher.upload(TestModels.dir(work, v1), v1), ModelStatus.ACTIVE, null);
            publisher.raw("poison-1", "{\"scanId\": 42, \"object\": \"not an object\"");
            String good = publisher.scan(png(1, 502), "XF", ScanIngested.Scope.in());

            assertThat(await(good, Role.ACTIVE).outcome()).isEqualTo(ScanPredicted.Outcome.PREDICTED);
            TopicReader.Event dead = new TopicReader(kafka.bootstrapServers())
                    .await(Topics.deadLetter(Topics.SCANS_INGESTED), e -> "poison-1".equals(e.key()), WAIT);
            assertThat(dead.header("dead-letter-reason")).contains("does not parse");
            assertThat(dead.value()).contains("not an object");
        }
    }

    private static void assertRejected(ScanPredicted p, ScanPredicted.RejectionCode code, String reason) {
        assertThat(p.outcome()).isEqualTo(ScanPredicted.Outcome.REJECTED);
        assertThat(p.rejection().code()).isEqualTo(code);
        assertThat(p.rejection().reason()).contains(reason);
    }

    private ScanPredicted await(String scanId, Role role) {
        TopicReader.Event event = new TopicReader(kafka.bootstrapServers()).await(Topics.SCANS_PREDICTED,
                e -> scanId.equals(e.key()) && parse(e).role() == role, WAIT);
        assertThat(event.header("ce_type")).isEqualTo(ScanPredicted.CE_TYPE);
        try {
            assertThat(SCHEMAS.validate(Contract.SCAN_PREDICTED, EventJson.mapper().readTree(event.value()))).isEmpty();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        return parse(event);
    }

    private Map<String, List<ScanPredicted>> awaitAll(List<String> scans, Role role) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Map<String, List<ScanPredicted>> found = new TopicReader(kafka.bootstrapServers()).readAll(Topics.SCANS_PREDICTED).stream()
                    .map(InferenceIT::parse).filter(p -> scans.contains(p.scanId()) && p.role() == role)
                    .collect(Collectors.groupingBy(ScanPredicted::scanId));
            if (found.keySet().containsAll(scans) || System.nanoTime() > deadline) {
                assertThat(found.keySet()).as("scans with a %s result", role).containsExactlyInAnyOrderElementsOf(scans);
                return found;
            }
            Thread.sleep(500);
        }
    }

    private List<ScanPredicted> predictionsFor(String scanId) {
        return new TopicReader(kafka.bootstrapServers()).readAll(Topics.SCANS_PREDICTED).stream()
                .filter(e -> scanId.equals(e.key())).map(InferenceIT::parse).toList();
    }

    private ModelDeployment awaitDeployment(String model, String version, ModelDeployment.Outcome outcome) {
        Predicate<TopicReader.Event> match = e -> {
            ModelDeployment d = parseDeployment(e);
            return d.model().equals(model) && d.version().equals(version) && d.outcome() == outcome;
        };
        return parseDeployment(new TopicReader(kafka.bootstrapServers()).await(Topics.MODELS_DEPLOYMENTS, match, WAIT));
    }

    private static ScanPredicted parse(TopicReader.Event e) {
        try {
            return EventJson.mapper().readValue(e.value(), ScanPredicted.class);
        } catch (java.io.IOException ex) {
            throw new AssertionError(ex);
        }
    }

    private static ModelDeployment parseDeployment(TopicReader.Event e) {
        try {
            return EventJson.mapper().readValue(e.value(), ModelDeployment.class);
        } catch (java.io.IOException ex) {
            throw new AssertionError(ex);
        }
    }

    static byte[] png(int label, long seed) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(SyntheticImages.image(label, 40, new Random(seed), false), "png", out);
            return out.toByteArray();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
