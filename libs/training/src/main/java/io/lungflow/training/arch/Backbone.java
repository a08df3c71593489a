package io.lungflow.training.arch;

import io.lungflow.schemas.ModelManifest;
import io.lungflow.training.graph.Layers;
import io.lungflow.training.graph.Params;
import io.lungflow.training.graph.Weights;
import java.util.Set;
import java.util.function.Predicate;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * What the ImageNet backbones share: a new head over globally averaged features (dropout, then a
 * dense layer named {@code head}); which layers train ({@code fineTune}: {@link #ALL}, or name
 * prefixes; the head always trains); the head's learning rate relative to the body's; and which
 * parameters must come from the weight file.
 */
public abstract class Backbone implements Architecture {

    /** Every layer: {@code fineTune} may name this to train the whole network. */
    public static final String ALL = "all";
    static final String HEAD = "head";

    final Weights pretrained;
    final Set<String> fineTune;
    final InputScaling scaling;
    final float dropout;
    final int inputSize;
    final float headScale;

    Backbone(Weights pretrained, Set<String> fineTune, InputScaling scaling, float dropout, int inputSize, float headScale) {
        this.pretrained = pretrained;
        this.fineTune = Set.copyOf(fineTune);
        this.scaling = scaling;
        this.dropout = dropout;
        this.inputSize = inputSize;
        this.headScale = headScale;
    }

    /** The gray image, repeated in three channels, at the network's input size. */
    @Override
    public ModelManifest.Input input() {
        return new ModelManifest.Input(inputSize, inputSize, 3);
    }

    @Override
    public ModelManifest.Preprocessing preprocessing() {
        return scaling.preprocessing();
    }

    @Override
    public Weights initialWeights() {
        return pretrained;
    }

    @Override
    public Predicate<String> trainable() {
        return name -> fineTune.contains(ALL) || name.startsWith(HEAD + "/") || fineTune.stream().anyMatch(prefix -> name.startsWith(prefix));
    }

    @Override
    public float learningRateScale(String parameter) {
        return parameter.startsWith(HEAD + "/") ? headScale : 1f;
    }

    /** Started from ImageNet weights (not from random ones). */
    boolean isPretrained() {
        return !pretrained.all().isEmpty();
    }

    /** With pretrained weights, every parameter of the body must be in them; a fresh head is the only one made here. */
    @Override
    public Predicate<String> fromWeights() {
        return isPretrained() ? name -> !name.startsWith(HEAD + "/") && !isFresh(name) : name -> false;
    }

    /** Parameters a pretrained network still makes from scratch (a layer its weight file lacks). */
    boolean isFresh(String parameter) {
        return false;
    }

    /**
     * Batch normalisation: a layer whose statistics the weight file brings keeps them (see
     * {@link Layers#frozenBatchNorm}); one trained from scratch learns them from its batches.
     */
    Operand<TFloat32> batchNorm(Ops tf, Params p, String name, Operand<TFloat32> x, long channels) {
        return pretrained.contains(name + "/moving_mean") ? Layers.frozenBatchNorm(tf, p, name, x, channels)
                : Layers.batchNorm(tf, p, name, x, channels);
    }

    Operand<TFloat32> head(Ops tf, Params p, Operand<TFloat32> features, long channels, int classes, long seed) {
        Operand<TFloat32> x = Layers.dropout(tf, p, Layers.globalAveragePool(tf, features), dropout, seed);
        return Layers.dense(tf, p, HEAD, x, channels, classes);
    }

    String describe() {
        return inputSize + "px, " + (isPretrained() ? "pretrained weights" : "random weights") + ", fine-tune "
                + (fineTune.isEmpty() ? "head only" : String.join(",", fineTune)) + ", input " + scaling.name().toLowerCase()
                + ", dropout " + dropout + ", head learning rate ×" + headScale;
    }
}
