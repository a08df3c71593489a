package io.lungflow.training.arch;

import io.lungflow.training.graph.Layers;
import io.lungflow.training.graph.Params;
import io.lungflow.training.graph.Weights;
import java.util.List;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * {@code squeezenet}: SqueezeNet 1.1 (Iandola et al., 2016) as a feature extractor, starting from
 * ImageNet weights, with a new head: dropout and a dense layer over the globally averaged
 * {@code fire9} features. The backbone is frozen except the fire modules named in
 * {@code fineTune}. The gray image is repeated into three channels.
 */
public final class SqueezeNet extends Backbone {

    public static final String NAME = "squeezenet";
    public static final int DEFAULT_INPUT = 224;

    /** Fire modules in order: name, squeeze channels, expand channels (each of 1×1 and 3×3). */
    static final List<Fire> FIRES = List.of(
            new Fire("fire2", 16, 64), new Fire("fire3", 16, 64),
            new Fire("fire4", 32, 128), new Fire("fire5", 32, 128),
            new Fire("fire6", 48, 192), new Fire("fire7", 48, 192),
            new Fire("fire8", 64, 256), new Fire("fire9", 64, 256));

    record Fire(String name, int squeeze, int expand) {
    }

    public SqueezeNet(Weights pretrained, Set<String> fineTune, InputScaling scaling, float dropout, int inputSize, float headScale) {
        super(pretrained, fineTune, scaling, dropout, inputSize, headScale);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Operand<TFloat32> logits(Ops tf, Params p, Operand<TFloat32> images, int classes, long seed) {
        Operand<TFloat32> x = tf.nn.relu(Layers.conv2d(tf, p, "conv1", images, 3, 3, 64, 2, "VALID", true));
        x = Layers.maxPool(tf, x, 3, 2, "VALID");
        long in = 64;
        for (Fire fire : FIRES) {
            x = fire(tf, p, fire, x, in);
            in = 2L * fire.expand();
            if (fire.name().equals("fire3") || fire.name().equals("fire5")) {
                x = Layers.maxPool(tf, x, 3, 2, "VALID");
            }
        }
        // Dropout on the feature map, before pooling (the recipe the README's SqueezeNet figures were measured with).
        x = Layers.dropout(tf, p, x, dropout, seed);
        return Layers.dense(tf, p, HEAD, Layers.globalAveragePool(tf, x), in, classes);
    }

    private static Operand<TFloat32> fire(Ops tf, Params p, Fire fire, Operand<TFloat32> x, long in) {
        Operand<TFloat32> s = tf.nn.relu(Layers.conv2d(tf, p, fire.name() + "/squeeze1x1", x, 1, in, fire.squeeze(), 1, "VALID", true));
        Operand<TFloat32> e1 = tf.nn.relu(Layers.conv2d(tf, p, fire.name() + "/expand1x1", s, 1, fire.squeeze(), fire.expand(), 1, "VALID", true));
        Operand<TFloat32> e3 = tf.nn.relu(Layers.conv2d(tf, p, fire.name() + "/expand3x3", s, 3, fire.squeeze(), fire.expand(), 1, "SAME", true));
        return tf.concat(List.of(e1, e3), tf.constant(3));
    }

    @Override
    public String toString() {
        return "squeezenet(" + describe() + ")";
    }
}
