package io.lungflow.results;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "lungflow.results")
public interface ResultsConfig {

    /** How often live metrics are recomputed, exposed and published when a prediction or label arrived. */
    @WithDefault("5s")
    java.time.Duration performanceRefresh();

    /** The largest page a list answers with. */
    @WithDefault("200")
    int maxPageSize();
}
