package io.lungflow.training.graph;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Parameters of a serving graph, every one taken from trained {@link Weights}. They become the
 * SavedModel's variables: filled once through placeholders (so the values are stored in
 * {@code variables/}, not repeated as constants in the graph), then saved.
 */
public final class FixedParams implements Params {

    private final Ops tf;
    private final Weights weights;
    private final Map<String, Operand<TFloat32>> created = new LinkedHashMap<>();
    private final List<Fill> fills = new ArrayList<>();

    private record Fill(Placeholder<TFloat32> value, Assign<TFloat32> assign, Weights.Tensor tensor) {
    }

    public FixedParams(Ops tf, Weights weights) {
        this.tf = tf;
        this.weights = weights;
    }

    @Override
    public Operand<TFloat32> weight(String name, long[] shape, Init init) {
        return created.computeIfAbsent(name, n -> variable(n, shape));
    }

    @Override
    public Operand<TFloat32> state(String name, long[] shape, Init init) {
        return weight(name, shape, init);
    }

    @Override
    public void update(String name, Operand<TFloat32> value) {
        // A serving graph changes nothing.
    }

    @Override
    public boolean training() {
        return false;
    }

    /** Gives every variable its trained value. */
    public void fill(Session session) {
        for (Fill fill : fills) {
            try (TFloat32 value = TFloat32.tensorOf(Shape.of(fill.tensor().shape()), DataBuffers.of(fill.tensor().values(), true, false))) {
                session.runner().feed(fill.value(), value).addTarget(fill.assign()).run();
            }
        }
    }

    private Operand<TFloat32> variable(String name, long[] shape) {
        Weights.Tensor tensor = weights.get(name);
        if (tensor == null) {
            throw new IllegalArgumentException("No trained value for parameter " + name);
        }
        if (!java.util.Arrays.equals(tensor.shape(), shape)) {
            throw new IllegalArgumentException("Parameter " + name + " has shape " + java.util.Arrays.toString(tensor.shape())
                    + ", the network needs " + java.util.Arrays.toString(shape));
        }
        Variable<TFloat32> v = tf.withName(TrainingParams.opName(name)).variable(Shape.of(shape), TFloat32.class);
        Placeholder<TFloat32> value = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(shape)));
        fills.add(new Fill(value, tf.assign(v, value), tensor));
        return v;
    }
}
