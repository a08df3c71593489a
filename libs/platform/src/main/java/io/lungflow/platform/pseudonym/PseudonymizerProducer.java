package io.lungflow.platform.pseudonym;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.nio.charset.StandardCharsets;

@ApplicationScoped
public class PseudonymizerProducer {

    @Produces
    @ApplicationScoped
    Pseudonymizer pseudonymizer(PseudonymConfig config) {
        return new Pseudonymizer(config.key().getBytes(StandardCharsets.UTF_8));
    }
}
