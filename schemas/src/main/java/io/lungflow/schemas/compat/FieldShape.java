package io.lungflow.schemas.compat;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What a reader of a field relies on: its JSON type, whether it is always present, and the
 * values it may take when it is an enumeration.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record FieldShape(String type, boolean required, List<String> values) {

    public FieldShape {
        values = values == null ? List.of() : List.copyOf(values);
    }
}
