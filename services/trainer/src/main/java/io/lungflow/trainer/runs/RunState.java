package io.lungflow.trainer.runs;

import io.lungflow.schemas.TrainingRunEvent;

/** What the trainer knows of a run: its last event, and the request that started it. */
public record RunState(TrainingRunEvent last, RunRequest request) {
}
