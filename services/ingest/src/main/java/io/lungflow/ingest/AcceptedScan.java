package io.lungflow.ingest;

import io.lungflow.schemas.ScanIngested.Scope;

/** The answer to an accepted upload: where to follow the scan, and whether it was known already. */
public record AcceptedScan(String scanId, String status, String statusUrl, String sha256, boolean duplicate, Scope scope) {
}
