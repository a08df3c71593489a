package io.lungflow.schemas;

/** Rollout status of a model version, as published on models.versions. */
public enum ModelStatus {
    CANDIDATE,
    SHADOW,
    CANARY,
    ACTIVE,
    RETIRED,
    ROLLED_BACK
}
