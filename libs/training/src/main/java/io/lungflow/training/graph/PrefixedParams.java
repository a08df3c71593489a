package io.lungflow.training.graph;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** Another set's parameters under a name prefix: how the members of an ensemble keep theirs apart. */
public final class PrefixedParams implements Params {

    private final Params inner;
    private final String prefix;

    public PrefixedParams(Params inner, String prefix) {
        this.inner = inner;
        this.prefix = prefix;
    }

    @Override
    public Operand<TFloat32> weight(String name, long[] shape, Init init) {
        return inner.weight(prefix + name, shape, init);
    }

    @Override
    public Operand<TFloat32> state(String name, long[] shape, Init init) {
        return inner.state(prefix + name, shape, init);
    }

    @Override
    public void update(String name, Operand<TFloat32> value) {
        inner.update(prefix + name, value);
    }

    @Override
    public boolean training() {
        return inner.training();
    }

    /** Every tensor of {@code weights} renamed under {@code prefix}, added to {@code into}. */
    public static Weights addPrefixed(Weights into, Weights weights, String prefix) {
        weights.all().forEach((name, tensor) -> into.put(prefix + name, tensor));
        return into;
    }
}
