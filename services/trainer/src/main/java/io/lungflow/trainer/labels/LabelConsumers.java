package io.lungflow.trainer.labels;

import io.lungflow.platform.database.DatabaseRetry;
import io.lungflow.schemas.ScanIngested;
import io.lungflow.schemas.ScanLabelled;
import io.lungflow.trainer.messaging.Channels;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/** Feeds the labelled-example index; a record is committed only once it is stored. */
@ApplicationScoped
public class LabelConsumers {

    private static final Logger LOG = Logger.getLogger(LabelConsumers.class);

    private final LabelledExamples examples;

    LabelConsumers(LabelledExamples examples) {
        this.examples = examples;
    }

    @Incoming(Channels.SCANS_INGESTED)
    @Blocking
    public void onIngested(ScanIngested event) {
        if (event == null) {
            LOG.warn("Skipped a scans.ingested record that does not parse (inference dead-letters it)");
            return;
        }
        DatabaseRetry.apply("object of scan " + event.scanId(), () -> examples.recordObject(event));
    }

    @Incoming(Channels.SCANS_LABELS)
    @Blocking
    public void onLabelled(ScanLabelled event) {
        if (event == null) {
            LOG.warn("Skipped a scans.labels record that does not parse (results dead-letters it)");
            return;
        }
        DatabaseRetry.apply("label " + event.labelId(), () -> examples.recordLabel(event));
    }
}
