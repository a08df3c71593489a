package io.lungflow.training.arch;

import io.lungflow.training.graph.Layers;
import io.lungflow.training.graph.Params;
import io.lungflow.training.graph.Weights;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * {@code mobilenet}: MobileNet v1, width 1.0 (Howard et al., 2017), as Keras applications builds it
 * and with its layer names: a 3×3 convolution of stride 2, then 13 blocks of a 3×3 depthwise and a
 * 1×1 pointwise convolution, each followed by batch normalisation and ReLU6 ({@code conv1},
 * {@code conv_dw_N}, {@code conv_pw_N} and their {@code _bn}); TensorFlow's "SAME" padding, as
 * Keras pads. A new head follows ({@link Backbone}).
 *
 * <p>The shared ImageNet weights lack {@code conv_pw_13/kernel}. {@link Top#CUT} ends the network
 * at {@code conv_dw_13}'s 1,024 channels; {@link Top#FRESH} keeps the last pointwise layer and
 * trains it from He-initialised weights, with batch statistics.
 */
public final class MobileNet extends Backbone {

    public static final String NAME = "mobilenet";
    public static final int DEFAULT_INPUT = 224;

    /** What to do with the last pointwise convolution, whose ImageNet kernel the shared copy lacks. */
    public enum Top {
        CUT,
        FRESH
    }

    /** Output channels and stride of each depthwise-separable block, 1 to 13. */
    private static final int[][] BLOCKS = {
        {64, 1}, {128, 2}, {128, 1}, {256, 2}, {256, 1}, {512, 2},
        {512, 1}, {512, 1}, {512, 1}, {512, 1}, {512, 1}, {1024, 2}, {1024, 1}};

    private final Top top;

    public MobileNet(Weights pretrained, Set<String> fineTune, InputScaling scaling, float dropout, int inputSize, float headScale, Top top) {
        super(pretrained, fineTune, scaling, dropout, inputSize, headScale);
        this.top = top;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    boolean isFresh(String parameter) {
        return top == Top.FRESH && parameter.startsWith("conv_pw_13") && !pretrained.contains("conv_pw_13/kernel");
    }

    @Override
    Operand<TFloat32> batchNorm(Ops tf, Params p, String name, Operand<TFloat32> x, long channels) {
        // A fresh last layer's kernel does not match the statistics kept for the missing one.
        return name.equals("conv_pw_13_bn") && isFresh("conv_pw_13/kernel") ? Layers.batchNorm(tf, p, name, x, channels)
                : super.batchNorm(tf, p, name, x, channels);
    }

    @Override
    public Operand<TFloat32> logits(Ops tf, Params p, Operand<TFloat32> images, int classes, long seed) {
        Operand<TFloat32> x = Layers.conv2d(tf, p, "conv1", images, 3, 3, 32, 2, "SAME", false);
        x = Layers.relu6(tf, batchNorm(tf, p, "conv1_bn", x, 32));
        long in = 32;
        for (int b = 1; b <= BLOCKS.length; b++) {
            long out = BLOCKS[b - 1][0];
            x = Layers.depthwiseConv2d(tf, p, "conv_dw_" + b, x, 3, in, BLOCKS[b - 1][1], "SAME", false);
            x = Layers.relu6(tf, batchNorm(tf, p, "conv_dw_" + b + "_bn", x, in));
            if (b == BLOCKS.length && top == Top.CUT) {
                break;
            }
            x = Layers.conv2d(tf, p, "conv_pw_" + b, x, 1, in, out, 1, "SAME", false);
            x = Layers.relu6(tf, batchNorm(tf, p, "conv_pw_" + b + "_bn", x, out));
            in = out;
        }
        return head(tf, p, x, in, classes, seed);
    }

    @Override
    public String toString() {
        return "mobilenet(" + describe() + ", last pointwise layer " + top.name().toLowerCase() + ")";
    }
}
