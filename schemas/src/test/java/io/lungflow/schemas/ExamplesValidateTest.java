package io.lungflow.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every contract has example documents, every example is valid, and the schemas do reject what they should. */
class ExamplesValidateTest {

    private final SchemaValidator validator = new SchemaValidator();

    @ParameterizedTest
    @EnumSource(Contract.class)
    void everyExampleValidates(Contract contract) {
        assertThat(ContractFiles.examples(contract)).as("examples of %s", contract.schemaName()).isNotEmpty();
        for (Path example : ContractFiles.examples(contract)) {
            assertThat(validator.validate(contract, ContractFiles.read(example))).as(example.toString()).isEmpty();
        }
    }

    @Test
    void everySchemaFileBelongsToAContract() throws IOException {
        try (Stream<Path> files = Files.list(ContractFiles.schemaDir())) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".schema.json")))
                    .containsExactlyInAnyOrderElementsOf(Stream.of(Contract.values()).map(Contract::schemaFile).toList());
        }
    }

    @Test
    void aPatientIdInClearIsRejected() {
        ObjectNode event = example(Contract.SCAN_INGESTED);
        event.put("patientRef", "PID-0012345");
        assertThat(validator.validate(Contract.SCAN_INGESTED, event)).anySatisfy(m -> assertThat(m).contains("patientRef"));
    }

    @Test
    void anUnknownFieldIsRejected() {
        ObjectNode event = example(Contract.SCAN_INGESTED);
        event.put("patientName", "Doe^Jane");
        assertThat(validator.validate(Contract.SCAN_INGESTED, event)).anySatisfy(m -> assertThat(m).contains("patientName"));
    }

    @Test
    void aPredictionWithoutProbabilitiesIsRejected() {
        ObjectNode event = example(Contract.SCAN_PREDICTED);
        event.remove("probabilities");
        assertThat(validator.validate(Contract.SCAN_PREDICTED, event)).anySatisfy(m -> assertThat(m).contains("probabilities"));
    }

    @Test
    void aRejectionWithoutReasonIsRejected() {
        ObjectNode event = (ObjectNode) ContractFiles.read(ContractFiles.examplesOf(Contract.SCAN_PREDICTED).resolve("rejected.json"));
        event.remove("rejection");
        assertThat(validator.validate(Contract.SCAN_PREDICTED, event)).anySatisfy(m -> assertThat(m).contains("rejection"));
    }

    @Test
    void aMalformedTimestampIsRejected() {
        ObjectNode event = example(Contract.SCAN_LABELLED);
        event.put("confirmedAt", "yesterday");
        assertThat(validator.validate(Contract.SCAN_LABELLED, event)).anySatisfy(m -> assertThat(m).contains("confirmedAt"));
    }

    private static ObjectNode example(Contract contract) {
        JsonNode node = ContractFiles.read(ContractFiles.examples(contract).get(0));
        return (ObjectNode) node;
    }
}
