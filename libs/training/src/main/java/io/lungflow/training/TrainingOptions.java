package io.lungflow.training;

import io.lungflow.imaging.Augmenter;

/**
 * @param epochs most passes over the fit examples
 * @param batchSize examples per step
 * @param learningRate Adam's step size
 * @param weightDecay L2 penalty on trained kernels
 * @param patience epochs without a lower tune loss before stopping (early stopping)
 * @param seed every random choice (initial weights, shuffling, augmentation, dropout) derives from it
 * @param augmenter geometric augmentation of fit examples
 * @param classWeights weigh each example by the inverse frequency of its class
 * @param threads TensorFlow threads
 * @param averaging decay of the moving average of the weights that is judged and kept (0 keeps the weights themselves)
 * @param labelSmoothing share of each fit example's target spread evenly over the classes (0 for one-hot targets)
 */
public record TrainingOptions(int epochs, int batchSize, double learningRate, double weightDecay, int patience, long seed,
        Augmenter augmenter, boolean classWeights, int threads, double averaging, double labelSmoothing) {

    public TrainingOptions {
        if (averaging < 0 || averaging >= 1) {
            throw new IllegalArgumentException("Weight averaging decay must be in [0, 1), got " + averaging);
        }
        if (labelSmoothing < 0 || labelSmoothing >= 1) {
            throw new IllegalArgumentException("Label smoothing must be in [0, 1), got " + labelSmoothing);
        }
    }

    /** Options without weight averaging or label smoothing. */
    public TrainingOptions(int epochs, int batchSize, double learningRate, double weightDecay, int patience, long seed, Augmenter augmenter,
            boolean classWeights, int threads) {
        this(epochs, batchSize, learningRate, weightDecay, patience, seed, augmenter, classWeights, threads, 0, 0);
    }

    public TrainingOptions withEpochs(int newEpochs) {
        return new TrainingOptions(newEpochs, batchSize, learningRate, weightDecay, patience, seed, augmenter, classWeights, threads, averaging,
                labelSmoothing);
    }

    public TrainingOptions withSeed(long newSeed) {
        return new TrainingOptions(epochs, batchSize, learningRate, weightDecay, patience, newSeed, augmenter, classWeights, threads, averaging,
                labelSmoothing);
    }
}
