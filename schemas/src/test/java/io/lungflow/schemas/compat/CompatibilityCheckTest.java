package io.lungflow.schemas.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The compatibility rules on small schemas: what a published version may and may not become. */
class CompatibilityCheckTest {

    private static final String V1 = """
            {"type":"object","required":["id"],"properties":{
              "id":{"type":"string"},
              "kind":{"type":"string","enum":["A","B"]},
              "size":{"type":"integer"},
              "where":{"$ref":"#/$defs/place"}},
             "$defs":{"place":{"type":"object","properties":{"bucket":{"type":"string"}}}}}
            """;

    @Test
    void addingAnOptionalFieldOrEnumValueIsCompatible() {
        String v = V1.replace("\"size\":{\"type\":\"integer\"}", "\"size\":{\"type\":\"integer\"},\"note\":{\"type\":\"string\"}")
                .replace("[\"A\",\"B\"]", "[\"A\",\"B\",\"C\"]");
        assertThat(check(v)).isEmpty();
    }

    @Test
    void removingAFieldIsBreaking() {
        String v = V1.replace("\"size\":{\"type\":\"integer\"},", "");
        assertThat(check(v)).containsExactly("t: field /size was removed");
    }

    @Test
    void removingAFieldBehindARefIsBreaking() {
        String v = V1.replace("\"bucket\":{\"type\":\"string\"}", "");
        assertThat(check(v)).containsExactly("t: field /where/bucket was removed");
    }

    @Test
    void retypingAFieldIsBreaking() {
        String v = V1.replace("\"size\":{\"type\":\"integer\"}", "\"size\":{\"type\":\"string\"}");
        assertThat(check(v)).containsExactly("t: field /size changed type from integer to string");
    }

    @Test
    void makingAFieldRequiredIsBreaking() {
        String v = V1.replace("\"required\":[\"id\"]", "\"required\":[\"id\",\"size\"]");
        assertThat(check(v)).containsExactly("t: field /size became required");
    }

    @Test
    void addingARequiredFieldIsBreaking() {
        String v = V1.replace("\"required\":[\"id\"]", "\"required\":[\"id\",\"extra\"]")
                .replace("\"id\":{\"type\":\"string\"},", "\"id\":{\"type\":\"string\"},\"extra\":{\"type\":\"string\"},");
        assertThat(check(v)).containsExactly("t: new field /extra is required; new fields must be optional");
    }

    @Test
    void droppingAnEnumValueIsBreaking() {
        String v = V1.replace("[\"A\",\"B\"]", "[\"A\"]");
        assertThat(check(v)).containsExactly("t: field /kind no longer allows [B]");
    }

    @Test
    void theLockOnlyGrows() {
        SchemaLock lock = readLock();
        Map<String, FieldShape> retyped = fields(V1.replace("\"size\":{\"type\":\"integer\"}", "\"size\":{\"type\":\"string\"}"));
        lock.absorb("t", retyped);
        assertThat(lock.fields("t").get("/size").type()).isEqualTo("integer");
    }

    private static SchemaLock readLock() {
        try {
            SchemaLock lock = SchemaLock.read(java.nio.file.Path.of("does-not-exist.json"));
            lock.absorb("t", fields(V1));
            return lock;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static java.util.List<String> check(String current) {
        return CompatibilityCheck.breakingChanges("t", fields(V1), fields(current));
    }

    private static Map<String, FieldShape> fields(String schema) {
        try {
            JsonNode node = new ObjectMapper().readTree(schema);
            return SchemaShape.fields(node);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
