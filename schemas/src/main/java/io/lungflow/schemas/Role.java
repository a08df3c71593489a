package io.lungflow.schemas;

/** The part a model version plays when it scores a scan. Only ACTIVE results are shown to clinicians. */
public enum Role {
    ACTIVE,
    SHADOW,
    CANARY
}
