package io.lungflow.trainer.labels;

import io.lungflow.trainer.runs.RunRequest;
import io.lungflow.trainer.runs.TrainingRuns;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Starts a run on confirmed labels once enough new ones have arrived since the last such run. */
@ApplicationScoped
public class ContinuousTraining {

    private static final Logger LOG = Logger.getLogger(ContinuousTraining.class);

    private final ContinuousConfig config;
    private final LabelledExamples examples;
    private final TrainingRuns runs;

    ContinuousTraining(ContinuousConfig config, LabelledExamples examples, TrainingRuns runs) {
        this.config = config;
        this.examples = examples;
        this.runs = runs;
    }

    @Scheduled(every = "${lungflow.trainer.continuous.check-every:30s}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void check() {
        if (config.minNewLabels() <= 0 || runs.labelRunInProgress()) {
            return;
        }
        try {
            long fresh = examples.newSinceLastRun(config.model());
            if (fresh >= config.minNewLabels()) {
                LOG.infof("%d new confirmed labels since the last run on labels (threshold %d): training %s", fresh, config.minNewLabels(),
                        config.model());
                runs.start(onLabels(config, config.model()), "continuous training");
            }
        } catch (RuntimeException e) {
            LOG.warnf("Could not check for new labels (%s); trying again later", e.getMessage());
        }
    }

    /** A run on the confirmed labels of {@code model}'s classes, with the configured recipe choices. */
    public static RunRequest onLabels(ContinuousConfig config, String model) {
        return new RunRequest(model, new RunRequest.DatasetRef(null, null, true), config.architecture().orElse(null),
                config.epochs().orElse(null), null, null, config.inputSize().orElse(null), null, null, null, null, null, null);
    }
}
