package io.lungflow.trainer.registry;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The promotion gate: what a version must show on confirmed labels before it may become ACTIVE. */
@ConfigMapping(prefix = "lungflow.registry.gate")
public interface GateConfig {

    /** On by default; turning it off lets any version become ACTIVE. */
    @WithDefault("true")
    boolean enabled();

    /** Confirmed labels the version must have been scored on while SHADOW or CANARY. */
    @WithDefault("50")
    int minLabels();

    /** How far below the incumbent's specificity the version's may be (sensitivity may not be below at all). */
    @WithDefault("0.05")
    double specificityMargin();
}
