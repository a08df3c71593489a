package io.lungflow.schemas.compat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Compares a schema's current fields with the fields it had when its version was first
 * published (the lock). A published version may gain optional fields and enumeration values;
 * it may not lose a field, change a field's type, make an optional field required, or drop an
 * enumeration value. Those changes need a new version of the contract.
 */
public final class CompatibilityCheck {

    private CompatibilityCheck() {
    }

    /** The breaking changes from {@code locked} to {@code current}; empty when compatible. */
    public static List<String> breakingChanges(
            String schemaName, Map<String, FieldShape> locked, Map<String, FieldShape> current) {
        List<String> problems = new ArrayList<>();
        locked.forEach((path, before) -> {
            FieldShape now = current.get(path);
            if (now == null) {
                problems.add(schemaName + ": field " + path + " was removed");
                return;
            }
            if (!now.type().equals(before.type())) {
                problems.add(schemaName + ": field " + path + " changed type from " + before.type() + " to " + now.type());
            }
            if (now.required() && !before.required()) {
                problems.add(schemaName + ": field " + path + " became required");
            }
            if (!now.values().isEmpty() || !before.values().isEmpty()) {
                List<String> dropped = before.values().stream().filter(v -> !now.values().contains(v)).toList();
                if (!dropped.isEmpty() && !now.values().isEmpty()) {
                    problems.add(schemaName + ": field " + path + " no longer allows " + dropped);
                }
            }
        });
        current.forEach((path, now) -> {
            if (!locked.containsKey(path) && now.required() && parentLocked(path, locked)) {
                problems.add(schemaName + ": new field " + path + " is required; new fields must be optional");
            }
        });
        return problems;
    }

    /** A new required field is fine inside a new optional object, but not inside an existing one. */
    private static boolean parentLocked(String path, Map<String, FieldShape> locked) {
        int cut = Math.max(path.lastIndexOf('/'), Math.max(path.lastIndexOf("[]"), path.lastIndexOf("{}")));
        String parent = path.substring(0, Math.max(cut, 0));
        return parent.isEmpty() || locked.containsKey(parent);
    }
}
