package io.lungflow.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Every Kubernetes object under deploy/, each with the file it came from. */
final class Manifests {

    static final YAMLMapper YAML = new YAMLMapper();

    record Doc(Path file, JsonNode node) {
        String kind() {
            return node.path("kind").asText();
        }

        String name() {
            return node.path("metadata").path("name").asText();
        }
    }

    private final List<Doc> docs;

    private Manifests(List<Doc> docs) {
        this.docs = docs;
    }

    static Manifests load(Path deployDir) throws IOException {
        List<Doc> docs = new ArrayList<>();
        try (Stream<Path> files = Files.walk(deployDir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml") && !f.toString().contains("/target/")).sorted().toList()) {
                docs.addAll(read(file));
            }
        }
        return new Manifests(docs);
    }

    static List<Doc> read(Path file) throws IOException {
        List<Doc> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            while (it.hasNext()) {
                JsonNode node = it.next();
                if (node != null && node.isObject() && !node.isEmpty()) {
                    docs.add(new Doc(file, node));
                }
            }
        }
        return docs;
    }

    /** docker-compose.yml with its anchors and merge keys ({@code <<: *service-env}) resolved, as compose does. */
    static JsonNode readCompose(Path file) throws IOException {
        try (var in = Files.newBufferedReader(file)) {
            Object document = new org.yaml.snakeyaml.Yaml().load(in);
            return YAML.valueToTree(document);
        }
    }

    List<Doc> all() {
        return docs;
    }

    List<Doc> ofKind(String kind) {
        return docs.stream().filter(d -> d.kind().equals(kind)).toList();
    }

    /** The object of that kind and name that is not a patch (patches live beside the overlays' kustomizations). */
    Optional<Doc> find(String kind, String name) {
        return ofKind(kind).stream().filter(d -> d.name().equals(name)).filter(d -> !d.file().toString().contains("/overlays/")).findFirst();
    }

    List<Doc> under(String folder) {
        return docs.stream().filter(d -> d.file().toString().contains("/" + folder + "/")).toList();
    }
}
