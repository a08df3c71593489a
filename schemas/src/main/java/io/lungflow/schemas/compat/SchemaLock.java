package io.lungflow.schemas.compat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The fields of every published schema version ({@code schemas/compat/schemas.lock.json}).
 * Entries only grow: {@link #absorb} adds schemas and fields that are new, and never changes or
 * removes what is there, so no edit of a schema can make its own lock agree with a breaking change.
 */
public final class SchemaLock {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final TypeReference<TreeMap<String, TreeMap<String, FieldShape>>> TYPE = new TypeReference<>() {
    };

    private final SortedMap<String, SortedMap<String, FieldShape>> schemas;

    private SchemaLock(SortedMap<String, SortedMap<String, FieldShape>> schemas) {
        this.schemas = schemas;
    }

    public static SchemaLock read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return new SchemaLock(new TreeMap<>());
        }
        return new SchemaLock(new TreeMap<>(JSON.readValue(file.toFile(), TYPE)));
    }

    public Map<String, FieldShape> fields(String schemaName) {
        return schemas.get(schemaName);
    }

    public boolean contains(String schemaName) {
        return schemas.containsKey(schemaName);
    }

    /** Adds the schema's new fields; returns true when anything changed. */
    public boolean absorb(String schemaName, Map<String, FieldShape> current) {
        SortedMap<String, FieldShape> locked = schemas.computeIfAbsent(schemaName, k -> new TreeMap<>());
        boolean changed = false;
        for (Map.Entry<String, FieldShape> e : current.entrySet()) {
            if (!locked.containsKey(e.getKey())) {
                locked.put(e.getKey(), e.getValue());
                changed = true;
            }
        }
        return changed;
    }

    public void write(Path file) throws IOException {
        Files.writeString(file, JSON.writeValueAsString(schemas) + System.lineSeparator());
    }
}
