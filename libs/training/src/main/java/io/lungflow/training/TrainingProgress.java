package io.lungflow.training;

/** Told about each step and epoch of a training run. */
public interface TrainingProgress {

    void step(int epoch, int epochs, int step, int steps, double loss, double secondsElapsed);

    void epoch(EpochResult result);

    /** One epoch: mean training loss, loss on the tune examples, how long it took, whether it is the best yet. */
    record EpochResult(int epoch, int epochs, double fitLoss, double tuneLoss, double seconds, boolean best) {
    }

    TrainingProgress NONE = new TrainingProgress() {
        @Override
        public void step(int epoch, int epochs, int step, int steps, double loss, double secondsElapsed) {
        }

        @Override
        public void epoch(EpochResult result) {
        }
    };
}
