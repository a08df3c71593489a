package io.lungflow.training.arch;

import io.lungflow.training.graph.Weights;
import io.lungflow.training.weights.KerasWeights;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * SqueezeNet 1.1 ImageNet weights in the Keras HDF5 layout, read by {@link KerasWeights} into the
 * parameter names of {@link SqueezeNet} ({@code conv1/kernel}, {@code fire2/squeeze1x1/bias}, …).
 */
public final class SqueezeNetWeights {

    private SqueezeNetWeights() {
    }

    public static Weights load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("SqueezeNet weights not found at " + file
                    + " (give --weights, or train --arch cnn, which needs none)");
        }
        return KerasWeights.load(file);
    }
}
