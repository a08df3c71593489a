package io.lungflow.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** A label confirmed for a scan (schema {@code scans.labels.v1}); the latest one of a scan wins. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScanLabelled(
        String labelId,
        String scanId,
        String label,
        String reviewer,
        Instant confirmedAt,
        Source source,
        String supersedes,
        Boolean agreesWithPrediction) {

    public static final String CE_TYPE = "io.lungflow.scan.labelled.v1";

    public enum Source {
        REVIEW_PAGE,
        API,
        IMPORT
    }
}
