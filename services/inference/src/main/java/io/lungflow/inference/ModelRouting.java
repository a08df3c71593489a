package io.lungflow.inference;

import io.lungflow.schemas.ScanIngested;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.Map;

/** Which model classifies a scan: by modality ({@code lungflow.inference.routes}), else the default model. */
@ApplicationScoped
public class ModelRouting {

    private final Map<String, String> routes;
    private final String defaultModel;

    public ModelRouting(InferenceConfig config) {
        Map<String, String> upper = new java.util.HashMap<>();
        config.routes().forEach((modality, model) -> upper.put(modality.toUpperCase(Locale.ROOT), model));
        this.routes = Map.copyOf(upper);
        this.defaultModel = config.defaultModel();
    }

    public String modelFor(ScanIngested scan) {
        return scan.modality() == null ? defaultModel : routes.getOrDefault(scan.modality().toUpperCase(Locale.ROOT), defaultModel);
    }
}
