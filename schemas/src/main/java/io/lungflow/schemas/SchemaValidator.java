package io.lungflow.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Validates documents against the contracts' JSON Schemas (2020-12, formats asserted). */
public final class SchemaValidator {

    private static final String ID_PREFIX = "https://lungflow.io/schemas/";

    private final Map<Contract, JsonSchema> schemas = new EnumMap<>(Contract.class);

    public SchemaValidator() {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(
                SpecVersion.VersionFlag.V202012,
                builder -> builder.schemaMappers(m -> m.mapPrefix(ID_PREFIX, "classpath:" + Contract.RESOURCE_DIR)));
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        for (Contract contract : Contract.values()) {
            try (InputStream in = resource(contract)) {
                schemas.put(contract, factory.getSchema(in, config));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read schema " + contract.schemaResource(), e);
            }
        }
    }

    /** The violations of {@code document} against the contract's schema; empty when it is valid. */
    public List<String> validate(Contract contract, JsonNode document) {
        return schemas.get(contract).validate(document).stream()
                .map(ValidationMessage::getMessage)
                .sorted()
                .toList();
    }

    /** Serialises {@code value} as the contracts are sent and validates the result. */
    public List<String> validateObject(Object value) {
        return validate(Contract.forType(value.getClass()), EventJson.mapper().valueToTree(value));
    }

    private static InputStream resource(Contract contract) {
        InputStream in = SchemaValidator.class.getClassLoader().getResourceAsStream(contract.schemaResource());
        if (in == null) {
            throw new IllegalStateException("Schema missing from the classpath: " + contract.schemaResource());
        }
        return in;
    }
}
