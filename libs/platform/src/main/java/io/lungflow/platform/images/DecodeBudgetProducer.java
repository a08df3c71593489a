package io.lungflow.platform.images;

import io.lungflow.dicom.pixels.DecodeBudget;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/** One {@link DecodeBudget} per service, of {@code lungflow.images.decode-memory} (never less than one image's worth). */
@ApplicationScoped
public class DecodeBudgetProducer {

    private static final Logger LOG = Logger.getLogger(DecodeBudgetProducer.class);

    @Produces
    @Singleton
    DecodeBudget decodeBudget(ImagesConfig config) {
        long budget = Math.max(config.decodeMemory().asLongValue(), config.maxDecodeMemory().asLongValue());
        long heap = Runtime.getRuntime().maxMemory();
        if (heap != Long.MAX_VALUE && budget > heap / 2) {
            LOG.warnf("Decoding may hold %d MiB of a %d MiB heap (lungflow.images.decode-memory): give the service more heap or lower it",
                    budget >> 20, heap >> 20);
        }
        return new DecodeBudget(budget);
    }
}
