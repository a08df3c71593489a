package io.lungflow.training.graph;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Where a network's parameters come from. The same architecture code builds the training graph
 * (trainable variables, running statistics updated) and the serving graph (fixed values), so the
 * exported model computes exactly what was trained.
 */
public interface Params {

    /** A learned tensor (kernel, bias, normalisation scale and offset). */
    Operand<TFloat32> weight(String name, long[] shape, Init init);

    /** Running state, such as batch normalisation's moving mean and variance. */
    Operand<TFloat32> state(String name, long[] shape, Init init);

    /** Replaces a state's value after each training step; ignored outside training. */
    void update(String name, Operand<TFloat32> value);

    /** Whether the graph being built is for training (batch statistics, dropout). */
    boolean training();
}
