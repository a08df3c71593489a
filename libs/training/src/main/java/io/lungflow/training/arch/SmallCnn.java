package io.lungflow.training.arch;

import io.lungflow.schemas.ModelManifest;
import io.lungflow.training.graph.Layers;
import io.lungflow.training.graph.Params;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * {@code cnn}: a small convolutional network trained from scratch, in the spirit of the notebooks
 * lungflow grew from: blocks of 3×3 convolution, batch normalisation, ReLU and 2×2 max pooling,
 * then global average pooling, dropout and a dense head.
 */
public final class SmallCnn implements Architecture {

    public static final String NAME = "cnn";

    private final int inputSize;
    private final int[] filters;
    private final int dense;
    private final float dropout;

    /**
     * @param inputSize side of the square grayscale input
     * @param filters output channels of each convolution block
     * @param dense units of the hidden dense layer
     * @param dropout rate before each dense layer
     */
    public SmallCnn(int inputSize, int[] filters, int dense, float dropout) {
        if (inputSize >> filters.length < 2) {
            throw new IllegalArgumentException(filters.length + " blocks halve a " + inputSize + " input to nothing");
        }
        this.inputSize = inputSize;
        this.filters = filters.clone();
        this.dense = dense;
        this.dropout = dropout;
    }

    /** The recipe found best on this project's data; see README. */
    public static SmallCnn standard(int inputSize) {
        return new SmallCnn(inputSize, new int[] {32, 64, 128, 256}, 128, 0.5f);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ModelManifest.Input input() {
        return new ModelManifest.Input(inputSize, inputSize, 1);
    }

    @Override
    public ModelManifest.Preprocessing preprocessing() {
        return new ModelManifest.Preprocessing("grayscale", "area",
                new ModelManifest.Normalization(1 / 255.0, List.of(0.5), List.of(0.25)), null);
    }

    @Override
    public Operand<TFloat32> logits(Ops tf, Params p, Operand<TFloat32> images, int classes, long seed) {
        Operand<TFloat32> x = images;
        long in = 1;
        for (int i = 0; i < filters.length; i++) {
            String block = "block" + (i + 1);
            x = Layers.conv2d(tf, p, block + "/conv", x, 3, in, filters[i], 1, "SAME", false);
            x = tf.nn.relu(Layers.batchNorm(tf, p, block + "/bn", x, filters[i]));
            x = Layers.maxPool(tf, x, 2, 2, "VALID");
            in = filters[i];
        }
        x = Layers.globalAveragePool(tf, x);
        x = Layers.dropout(tf, p, x, dropout, seed);
        x = tf.nn.relu(Layers.dense(tf, p, "fc", x, in, dense));
        x = Layers.dropout(tf, p, x, dropout, seed + 1);
        return Layers.dense(tf, p, "logits", x, dense, classes);
    }

    @Override
    public String headPrefix() {
        return "logits/";
    }

    @Override
    public String toString() {
        return "cnn(input " + inputSize + ", filters " + Arrays.toString(filters) + ", dense " + dense + ", dropout " + dropout + ")";
    }
}
