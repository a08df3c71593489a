package io.lungflow.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The schema and example files as they sit in the source tree. */
final class ContractFiles {

    static Path schemaDir() {
        return Path.of(System.getProperty("lungflow.schemas.dir", "json"));
    }

    static Path examplesOf(Contract contract) {
        return schemaDir().resolve("examples").resolve(contract.schemaName());
    }

    static List<Path> examples(Contract contract) {
        Path dir = examplesOf(contract);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode read(Path file) {
        try {
            return EventJson.mapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ContractFiles() {
    }
}
