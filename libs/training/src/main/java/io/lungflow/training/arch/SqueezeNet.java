package io.lungflow.training.arch;

import io.lungflow.schemas.ModelManifest;
import io.lungflow.training.graph.Layers;
import io.lungflow.training.graph.Params;
import io.lungflow.training.graph.Weights;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * {@code squeezenet}: SqueezeNet 1.1 (Iandola et al., 2016) as a feature extractor, starting from
 * ImageNet weights, with a new head: dropout and a dense layer over the globally averaged
 * {@code fire9} features. The backbone is frozen except the fire modules named in
 * {@code fineTune}. The gray image is repeated into three channels.
 */
public final class SqueezeNet implements Architecture {

    public static final String NAME = "squeezenet";
    public static final int DEFAULT_INPUT = 224;
    /** Every layer: {@code fineTune} may name this to train the whole network. */
    public static final String ALL = "all";

    /** Fire modules in order: name, squeeze channels, expand channels (each of 1×1 and 3×3). */
    static final List<Fire> FIRES = List.of(
            new Fire("fire2", 16, 64), new Fire("fire3", 16, 64),
            new Fire("fire4", 32, 128), new Fire("fire5", 32, 128),
            new Fire("fire6", 48, 192), new Fire("fire7", 48, 192),
            new Fire("fire8", 64, 256), new Fire("fire9", 64, 256));

    record Fire(String name, int squeeze, int expand) {
    }

    /** How pixel values are scaled before the backbone. */
    public enum InputScaling {
        /** As the Keras port's ImageNet training: 0..255 minus the per-channel (BGR) ImageNet mean. */
        CAFFE,
        /** To −1..1. */
        UNIT
    }

    private final Weights pretrained;
    private final Set<String> fineTune;
    private final InputScaling scaling;
    private final float dropout;
    private final int inputSize;
    private final float headScale;

    /**
     * @param headScale learning rate of the new head relative to the pretrained layers
     */
    public SqueezeNet(Weights pretrained, Set<String> fineTune, InputScaling scaling, float dropout, int inputSize, float headScale) {
        this.inputSize = inputSize;
        this.headScale = headScale;
        this.pretrained = pretrained;
        this.fineTune = Set.copyOf(fineTune);
        this.scaling = scaling;
        this.dropout = dropout;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ModelManifest.Input input() {
        return new ModelManifest.Input(inputSize, inputSize, 3);
    }

    @Override
    public ModelManifest.Preprocessing preprocessing() {
        ModelManifest.Normalization normalization = scaling == InputScaling.CAFFE
                ? new ModelManifest.Normalization(1.0, List.of(103.939, 116.779, 123.68), List.of(1.0, 1.0, 1.0))
                : new ModelManifest.Normalization(2 / 255.0, List.of(1.0), List.of(1.0));
        return new ModelManifest.Preprocessing("grayscale", "area", normalization, null);
    }

    @Override
    public Weights initialWeights() {
        return pretrained;
    }

    @Override
    public Predicate<String> trainable() {
        return name -> fineTune.contains(ALL) || name.startsWith("head/") || fineTune.stream().anyMatch(block -> name.startsWith(block + "/"));
    }

    @Override
    public float learningRateScale(String parameter) {
        return parameter.startsWith("head/") ? headScale : 1f;
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
        x = Layers.dropout(tf, p, x, dropout, seed);
        return Layers.dense(tf, p, "head", Layers.globalAveragePool(tf, x), in, classes);
    }

    private static Operand<TFloat32> fire(Ops tf, Params p, Fire fire, Operand<TFloat32> x, long in) {
        Operand<TFloat32> s = tf.nn.relu(Layers.conv2d(tf, p, fire.name() + "/squeeze1x1", x, 1, in, fire.squeeze(), 1, "VALID", true));
        Operand<TFloat32> e1 = tf.nn.relu(Layers.conv2d(tf, p, fire.name() + "/expand1x1", s, 1, fire.squeeze(), fire.expand(), 1, "VALID", true));
        Operand<TFloat32> e3 = tf.nn.relu(Layers.conv2d(tf, p, fire.name() + "/expand3x3", s, 3, fire.squeeze(), fire.expand(), 1, "SAME", true));
        return tf.concat(List.of(e1, e3), tf.constant(3));
    }

    @Override
    public String toString() {
        return "squeezenet(" + inputSize + "px, fine-tune " + (fineTune.isEmpty() ? "none" : String.join(",", fineTune)) + ", input " + scaling.name().toLowerCase()
                + ", dropout " + dropout + ", head learning rate ×" + headScale + ")";
    }
}
