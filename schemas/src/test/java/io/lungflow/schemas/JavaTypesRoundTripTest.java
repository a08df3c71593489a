package io.lungflow.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Java types services use carry every field of the contract: each example read into its Java
 * type and written back is the same document, and the written document passes the schema.
 */
class JavaTypesRoundTripTest {

    private final SchemaValidator validator = new SchemaValidator();
    private final ObjectMapper json = EventJson.mapper();

    @ParameterizedTest
    @EnumSource(Contract.class)
    void examplesSurviveTheJavaType(Contract contract) throws Exception {
        for (Path example : ContractFiles.examples(contract)) {
            JsonNode original = ContractFiles.read(example);
            Object typed = json.treeToValue(original, contract.javaType());
            JsonNode written = json.valueToTree(typed);

            assertThat(validator.validate(contract, written)).as("%s written back", example).isEmpty();
            assertThat(withoutNulls(written).equals(NUMERIC_VALUE, withoutNulls(original)))
                    .as("%s written back%n  was: %s%n  now: %s", example, original, written)
                    .isTrue();
            assertThat(json.treeToValue(written, contract.javaType())).isEqualTo(typed);
        }
    }

    /** Numbers compare by value: 1500 in an example and 1500.0 from a double are the same field. */
    private static final Comparator<JsonNode> NUMERIC_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return Double.compare(a.doubleValue(), b.doubleValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    private static JsonNode withoutNulls(JsonNode node) {
        JsonNode copy = node.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getValue().isNull()) {
                    fields.remove();
                } else {
                    strip(field.getValue());
                }
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(JavaTypesRoundTripTest::strip);
        }
    }
}
