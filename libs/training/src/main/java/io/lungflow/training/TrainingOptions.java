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
 * @param examplePasses a budget of fit examples seen in all, counted at {@value #BUDGET_SIDE}×{@value #BUDGET_SIDE} pixels (an
 *     example of half the pixels counts half): a larger fit set gets fewer epochs, never fewer than {@link #MIN_BUDGETED_EPOCHS}
 *     nor more than {@code epochs} (0: always {@code epochs})
 */
public record TrainingOptions(int epochs, int batchSize, double learningRate, double weightDecay, int patience, long seed,
        Augmenter augmenter, boolean classWeights, int threads, double averaging, double labelSmoothing, int examplePasses) {

    /** The fewest epochs a budget ({@code examplePasses}) leaves a large fit set. */
    public static final int MIN_BUDGETED_EPOCHS = 3;
    /** The input side at which {@code examplePasses} counts one example as one. */
    public static final int BUDGET_SIDE = 224;

    public TrainingOptions {
        if (averaging < 0 || averaging >= 1) {
            throw new IllegalArgumentException("Weight averaging decay must be in [0, 1), got " + averaging);
        }
        if (labelSmoothing < 0 || labelSmoothing >= 1) {
            throw new IllegalArgumentException("Label smoothing must be in [0, 1), got " + labelSmoothing);
        }
        if (examplePasses < 0) {
            throw new IllegalArgumentException("The example budget must be 0 (none) or positive, got " + examplePasses);
        }
    }

    /** Options without an example budget. */
    public TrainingOptions(int epochs, int batchSize, double learningRate, double weightDecay, int patience, long seed, Augmenter augmenter,
            boolean classWeights, int threads, double averaging, double labelSmoothing) {
        this(epochs, batchSize, learningRate, weightDecay, patience, seed, augmenter, classWeights, threads, averaging, labelSmoothing, 0);
    }

    /** Options without weight averaging or label smoothing. */
    public TrainingOptions(int epochs, int batchSize, double learningRate, double weightDecay, int patience, long seed, Augmenter augmenter,
            boolean classWeights, int threads) {
        this(epochs, batchSize, learningRate, weightDecay, patience, seed, augmenter, classWeights, threads, 0, 0, 0);
    }

    /**
     * The most epochs a run over {@code fitExamples} examples of {@code inputSide}×{@code inputSide} pixels makes: {@code epochs},
     * or fewer where the budget says so.
     */
    public int epochsFor(int fitExamples, int inputSide) {
        if (examplePasses == 0 || fitExamples <= 0) {
            return epochs;
        }
        double scaled = examplePasses * ((double) BUDGET_SIDE * BUDGET_SIDE) / ((double) inputSide * inputSide);
        return (int) Math.min(epochs, Math.max(MIN_BUDGETED_EPOCHS, Math.floor(scaled / fitExamples + 1e-9)));
    }

    public TrainingOptions withEpochs(int newEpochs) {
        return new TrainingOptions(newEpochs, batchSize, learningRate, weightDecay, patience, seed, augmenter, classWeights, threads, averaging,
                labelSmoothing, examplePasses);
    }

    public TrainingOptions withSeed(long newSeed) {
        return new TrainingOptions(epochs, batchSize, learningRate, weightDecay, patience, newSeed, augmenter, classWeights, threads, averaging,
                labelSmoothing, examplePasses);
    }
}
