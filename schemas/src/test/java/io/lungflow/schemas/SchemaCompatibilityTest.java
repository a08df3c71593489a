package io.lungflow.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.lungflow.schemas.compat.CompatibilityCheck;
import io.lungflow.schemas.compat.FieldShape;
import io.lungflow.schemas.compat.SchemaLock;
import io.lungflow.schemas.compat.SchemaShape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fails the build when a published schema loses a field, changes a field's type, makes a field
 * required or drops an enumeration value. The lock records every published field; run with
 * {@code -Dlungflow.schemas.update-lock=true} to record a new schema version or new optional fields.
 */
class SchemaCompatibilityTest {

    @Test
    void publishedSchemasStayCompatible() throws Exception {
        Path lockFile = Path.of(System.getProperty("lungflow.schemas.lock", "compat/schemas.lock.json"));
        SchemaLock lock = SchemaLock.read(lockFile);
        boolean update = Boolean.getBoolean("lungflow.schemas.update-lock");

        List<String> problems = new ArrayList<>();
        boolean changed = false;
        for (Contract contract : Contract.values()) {
            Map<String, FieldShape> current =
                    SchemaShape.fields(ContractFiles.read(ContractFiles.schemaDir().resolve(contract.schemaFile())));
            if (lock.contains(contract.schemaName())) {
                problems.addAll(CompatibilityCheck.breakingChanges(
                        contract.schemaName(), lock.fields(contract.schemaName()), current));
            } else if (!update) {
                problems.add(contract.schemaName()
                        + ": not in " + lockFile + "; record it with -Dlungflow.schemas.update-lock=true");
            }
            if (update) {
                changed |= lock.absorb(contract.schemaName(), current);
            }
        }
        if (update && changed && problems.isEmpty()) {
            lock.write(lockFile);
        }
        assertThat(problems).as("breaking schema changes (publish a new version instead)").isEmpty();
    }
}
