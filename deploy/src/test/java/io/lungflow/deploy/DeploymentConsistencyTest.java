package io.lungflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lungflow.deploy.Manifests.Doc;
import io.lungflow.schemas.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proves docker-compose.yml and the Kubernetes manifests under deploy/ describe the system the code
 * is: every topic the code names exists (compacted where the code says so), every bucket a service
 * needs is created, every service is reachable on the port it listens on with its health checks,
 * every environment variable a service needs in production is set (secrets by reference only),
 * and the overlays refer to things that exist.
 */
class DeploymentConsistencyTest {

    private static final Pattern COMPOSE_TOPIC = Pattern.compile("(?m)^\\s*create (\\S+) (\\d+) (\\S+)$");
    private static final Pattern COMPOSE_BUCKET = Pattern.compile("local/([a-z0-9.-]+)");

    private static Path root;
    private static List<ServiceSettings> services;
    private static JsonNode compose;
    private static Manifests k8s;

    @BeforeAll
    static void load() throws IOException {
        root = Path.of(System.getProperty("lungflow.root", ".."));
        services = ServiceSettings.all(root);
        compose = Manifests.readCompose(root.resolve("docker-compose.yml"));
        k8s = Manifests.load(root.resolve("deploy"));
        assertThat(services).extracting(ServiceSettings::name).containsExactly("inference", "ingest", "results", "trainer");
    }

    private static Set<String> codeTopics() {
        Set<String> topics = new TreeSet<>(Topics.ALL);
        Topics.ALL.forEach(t -> topics.add(Topics.deadLetter(t)));
        return topics;
    }

    @Test
    void everyTopicAServiceIsBoundToIsNamedInTheContracts() {
        for (ServiceSettings service : services) {
            assertThat(codeTopics()).as("topics bound in %s's application.properties", service.name()).containsAll(service.topics());
        }
    }

    @Test
    void composeCreatesEveryTopicWithTheCleanupPolicyTheCodeExpects() {
        Map<String, String> created = new TreeMap<>();
        Matcher m = COMPOSE_TOPIC.matcher(compose.path("services").path("kafka-topics").path("command").get(0).asText());
        while (m.find()) {
            created.put(m.group(1), m.group(3));
        }
        assertThat(created.keySet()).containsExactlyInAnyOrderElementsOf(codeTopics());
        created.forEach((topic, config) -> assertThat(config.equals("cleanup.policy=compact"))
                .as("%s is compacted", topic).isEqualTo(Topics.COMPACTED.contains(topic)));
    }

    @Test
    void kubernetesHasAKafkaTopicForEveryTopicWithTheCleanupPolicyTheCodeExpects() {
        Map<String, JsonNode> topics = new TreeMap<>();
        for (Doc d : k8s.ofKind("KafkaTopic")) {
            topics.put(d.node().path("spec").path("topicName").asText(), d.node().path("spec"));
            assertThat(d.node().path("metadata").path("labels").path("strimzi.io/cluster").asText())
                    .isEqualTo(k8s.ofKind("Kafka").get(0).name());
        }
        assertThat(topics.keySet()).containsExactlyInAnyOrderElementsOf(codeTopics());
        topics.forEach((topic, spec) -> assertThat(spec.path("config").path("cleanup.policy").asText())
                .as("cleanup.policy of %s", topic).isEqualTo(Topics.COMPACTED.contains(topic) ? "compact" : "delete"));
    }

    @Test
    void everyBucketAServiceNeedsIsCreatedByComposeAndKubernetes() {
        Set<String> needed = new TreeSet<>();
        services.forEach(s -> needed.addAll(s.buckets()));
        assertThat(needed).isNotEmpty();

        Set<String> compose = buckets(DeploymentConsistencyTest.compose.path("services").path("minio-buckets").path("command").get(0).asText());
        assertThat(compose).containsAll(needed);

        JsonNode job = k8s.find("Job", "minio-buckets").orElseThrow().node();
        String args = String.join(" ", texts(job.at("/spec/template/spec/containers/0/args")));
        assertThat(buckets(args.replace("lungflow/", "local/"))).containsAll(needed);
    }

    @Test
    void composePublishesEachServiceOnItsPortWithAHealthCheck() {
        for (ServiceSettings service : services) {
            JsonNode c = compose.path("services").path(service.name());
            assertThat(c.isMissingNode()).as("compose service %s", service.name()).isFalse();
            int port = service.httpPort();
            assertThat(texts(c.path("ports"))).as("ports of %s", service.name()).contains(port + ":" + port);
            assertThat(String.join(" ", texts(c.path("healthcheck").path("test"))))
                    .as("health check of %s", service.name()).contains("localhost:" + port + "/q/health/");
        }
    }

    @Test
    void kubernetesRunsEachServiceOnItsPortWithProbesAndMetrics() {
        for (ServiceSettings service : services) {
            int port = service.httpPort();
            JsonNode deployment = k8s.find("Deployment", service.name()).orElseThrow(() -> new AssertionError("no Deployment " + service.name())).node();
            JsonNode pod = deployment.at("/spec/template");
            JsonNode container = pod.at("/spec/containers/0");
            assertThat(container.at("/ports/0/containerPort").asInt()).as("containerPort of %s", service.name()).isEqualTo(port);
            assertThat(pod.at("/metadata/annotations").path("prometheus.io/port").asText()).isEqualTo(Integer.toString(port));
            assertThat(container.at("/startupProbe/httpGet/path").asText()).isEqualTo("/q/health/started");
            assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
            assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
            assertThat(container.at("/resources/requests/memory").asText()).as("memory request of %s", service.name()).isNotEmpty();
            JsonNode svc = k8s.find("Service", service.name()).orElseThrow().node();
            assertThat(svc.at("/spec/ports/0/port").asInt()).isEqualTo(port);
        }
    }

    @Test
    void composeSetsEveryEnvironmentVariableAServiceNeedsInProduction() {
        for (ServiceSettings service : services) {
            Set<String> defined = new HashSet<>();
            JsonNode env = compose.path("services").path(service.name()).path("environment");
            env.fieldNames().forEachRemaining(defined::add);
            assertThat(defined).as("environment of compose service %s", service.name()).containsAll(service.requiredEnvironment());
        }
    }

    @Test
    void kubernetesSetsEveryEnvironmentVariableAServiceNeedsAndSecretsOnlyByReference() {
        assertThat(k8s.ofKind("Secret")).as("Secret objects (values) in deploy/").isEmpty();
        for (ServiceSettings service : services) {
            JsonNode container = k8s.find("Deployment", service.name()).orElseThrow().node().at("/spec/template/spec/containers/0");
            Set<String> defined = new HashSet<>();
            for (JsonNode from : container.path("envFrom")) {
                String configMap = from.path("configMapRef").path("name").asText();
                assertThat(configMap).as("envFrom of %s refers to a ConfigMap (secrets go by secretKeyRef)", service.name()).isNotEmpty();
                k8s.find("ConfigMap", configMap).orElseThrow(() -> new AssertionError("no ConfigMap " + configMap))
                        .node().path("data").fieldNames().forEachRemaining(defined::add);
            }
            for (JsonNode e : container.path("env")) {
                String name = e.path("name").asText();
                defined.add(name);
                if (name.matches(".*(KEY|SECRET|PASSWORD|USERNAME).*")) {
                    assertThat(e.at("/valueFrom/secretKeyRef/name").asText()).as("%s of %s comes from a Secret", name, service.name()).isNotEmpty();
                }
            }
            assertThat(defined).as("environment of Deployment %s", service.name()).containsAll(service.requiredEnvironment());
        }
    }

    @Test
    void everyKustomizationRefersToFilesThatExistAndPatchesTargetsThatExist() throws IOException {
        List<Path> kustomizations = new ArrayList<>();
        try (var files = Files.walk(root.resolve("deploy"))) {
            files.filter(f -> f.getFileName().toString().equals("kustomization.yaml")).forEach(kustomizations::add);
        }
        assertThat(kustomizations).extracting(p -> root.resolve("deploy").relativize(p.getParent()).toString())
                .contains("base", "platform", "overlays/cpu", "overlays/gpu");
        for (Path k : kustomizations) {
            JsonNode node = Manifests.YAML.readTree(k.toFile());
            for (String resource : texts(node.path("resources"))) {
                assertThat(k.getParent().resolve(resource)).as("resource %s of %s", resource, k).exists();
            }
            for (JsonNode patch : node.path("patches")) {
                Path file = k.getParent().resolve(patch.path("path").asText());
                assertThat(file).exists();
                JsonNode target = patch.path("target");
                assertThat(k8s.find(target.path("kind").asText(), target.path("name").asText())).as("target of %s", file).isPresent();
            }
        }
    }

    @Test
    void inferenceScalesOnTheLagOfItsOwnConsumerGroupUpToOneReplicaPerPartition() {
        ServiceSettings inference = services.stream().filter(s -> s.name().equals("inference")).findFirst().orElseThrow();
        Doc scaled = k8s.ofKind("ScaledObject").stream().filter(d -> d.name().equals("inference")).findFirst().orElseThrow();
        JsonNode spec = scaled.node().path("spec");
        assertThat(spec.at("/scaleTargetRef/name").asText()).isEqualTo("inference");
        JsonNode trigger = spec.at("/triggers/0");
        assertThat(trigger.path("type").asText()).isEqualTo("kafka");
        assertThat(trigger.at("/metadata/consumerGroup").asText()).isEqualTo(inference.property("mp.messaging.incoming.scans-ingested.group.id"));
        assertThat(trigger.at("/metadata/topic").asText()).isEqualTo(Topics.SCANS_INGESTED);
        int partitions = k8s.ofKind("KafkaTopic").stream().filter(d -> d.node().at("/spec/topicName").asText().equals(Topics.SCANS_INGESTED))
                .findFirst().orElseThrow().node().at("/spec/partitions").asInt();
        assertThat(spec.path("maxReplicaCount").asInt()).isBetween(1, partitions);
    }

    @Test
    void theGpuOverlayPutsInferenceOnAGpuNodeWithTheGpuImage() throws IOException {
        Path overlay = root.resolve("deploy/overlays/gpu");
        JsonNode kustomization = Manifests.YAML.readTree(overlay.resolve("kustomization.yaml").toFile());
        assertThat(kustomization.at("/images/0/name").asText()).isEqualTo("lungflow/inference");
        assertThat(kustomization.at("/images/0/newName").asText()).isEqualTo("lungflow/inference-gpu");
        JsonNode pod = Manifests.read(overlay.resolve("inference-gpu.yaml")).get(0).node().at("/spec/template/spec");
        assertThat(pod.at("/containers/0/resources/limits").path("nvidia.com/gpu").asInt()).isEqualTo(1);
        assertThat(pod.path("nodeSelector").isEmpty()).isFalse();
        assertThat(root.resolve("services/inference/src/main/docker/Dockerfile.gpu")).exists();
    }

    private static Set<String> buckets(String command) {
        Set<String> buckets = new TreeSet<>();
        Matcher m = COMPOSE_BUCKET.matcher(command);
        while (m.find()) {
            buckets.add(m.group(1));
        }
        return buckets;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
