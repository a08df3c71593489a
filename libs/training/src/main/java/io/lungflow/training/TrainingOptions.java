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
 */
public record TrainingOptions(int epochs, int batchSize, double learningRate, double weightDecay, int patience, long seed,
        Augmenter augmenter, boolean classWeights, int threads) {

    public TrainingOptions withEpochs(int newEpochs) {
        return new TrainingOptions(newEpochs, batchSize, learningRate, weightDecay, patience, seed, augmenter, classWeights, threads);
    }

    public TrainingOptions withSeed(long newSeed) {
        return new TrainingOptions(epochs, batchSize, learningRate, weightDecay, patience, newSeed, augmenter, classWeights, threads);
    }
}
