package io.lungflow.schemas.compat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Flattens a JSON Schema into its fields: {@code /object/sha256} for a property, {@code []} for
 * array items and {@code {}} for map values. Local {@code $ref}s into {@code $defs} are followed.
 */
public final class SchemaShape {

    private SchemaShape() {
    }

    public static SortedMap<String, FieldShape> fields(JsonNode schema) {
        SortedMap<String, FieldShape> out = new TreeMap<>();
        walk(schema, schema, "", out, 0);
        return out;
    }

    private static void walk(JsonNode root, JsonNode node, String path, SortedMap<String, FieldShape> out, int depth) {
        if (depth > 32) {
            throw new IllegalArgumentException("Schema nests deeper than 32 levels at " + path);
        }
        JsonNode resolved = resolve(root, node);
        JsonNode properties = resolved.path("properties");
        Set<String> required = new HashSet<>();
        resolved.path("required").forEach(r -> required.add(r.asText()));
        properties.fieldNames().forEachRemaining(name -> {
            JsonNode property = resolve(root, properties.get(name));
            String fieldPath = path + "/" + name;
            out.put(fieldPath, new FieldShape(typeOf(property), required.contains(name), enumValues(property)));
            walk(root, property, fieldPath, out, depth + 1);
        });
        JsonNode items = resolved.get("items");
        if (items != null && items.isObject()) {
            JsonNode item = resolve(root, items);
            out.put(path + "[]", new FieldShape(typeOf(item), true, enumValues(item)));
            walk(root, item, path + "[]", out, depth + 1);
        }
        JsonNode additional = resolved.get("additionalProperties");
        if (additional != null && additional.isObject()) {
            JsonNode value = resolve(root, additional);
            out.put(path + "{}", new FieldShape(typeOf(value), false, enumValues(value)));
            walk(root, value, path + "{}", out, depth + 1);
        }
    }

    private static JsonNode resolve(JsonNode root, JsonNode node) {
        JsonNode current = node;
        for (int hops = 0; current.has("$ref"); hops++) {
            String ref = current.get("$ref").asText();
            if (!ref.startsWith("#/") || hops > 16) {
                throw new IllegalArgumentException("Only local $refs are supported, got " + ref);
            }
            current = root.at(ref.substring(1));
            if (current.isMissingNode()) {
                throw new IllegalArgumentException("Unresolvable $ref " + ref);
            }
        }
        return current;
    }

    private static String typeOf(JsonNode schema) {
        JsonNode type = schema.get("type");
        if (type == null) {
            if (schema.has("const")) {
                return "const:" + schema.get("const").asText();
            }
            return schema.has("enum") ? "enum" : "any";
        }
        if (type.isArray()) {
            List<String> types = new ArrayList<>();
            type.forEach(t -> types.add(t.asText()));
            types.sort(null);
            return String.join("|", types);
        }
        return type.asText();
    }

    private static List<String> enumValues(JsonNode schema) {
        List<String> values = new ArrayList<>();
        schema.path("enum").forEach(v -> values.add(v.asText()));
        return values;
    }
}
