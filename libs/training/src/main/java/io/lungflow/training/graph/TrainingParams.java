package io.lungflow.training.graph;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Parameters of a training graph. A parameter starts from {@code initial} when it has a value
 * there (pretrained weights) and from its initializer otherwise; it is a variable when
 * {@code trainable} accepts its name and a constant (frozen) when not. {@link #evaluation()}
 * views the same parameters in serving mode, for validation inside the training session.
 */
public final class TrainingParams implements Params {

    private final Ops tf;
    private final Random random;
    private final Weights initial;
    private final Predicate<String> trainable;
    private final Predicate<String> required;
    private final Map<String, Operand<TFloat32>> weights = new LinkedHashMap<>();
    private final Map<String, Variable<TFloat32>> variables = new LinkedHashMap<>();
    private final Map<String, Variable<TFloat32>> states = new LinkedHashMap<>();
    private final Map<String, Weights.Tensor> frozen = new LinkedHashMap<>();
    private final List<Op> updates = new ArrayList<>();

    public TrainingParams(Ops tf, Random random, Weights initial, Predicate<String> trainable) {
        this(tf, random, initial, trainable, name -> false);
    }

    /** @param required parameters that must start from {@code initial} (a pretrained body): missing, they fail naming their layer */
    public TrainingParams(Ops tf, Random random, Weights initial, Predicate<String> trainable, Predicate<String> required) {
        this.required = required;
        this.tf = tf;
        this.random = random;
        this.initial = initial;
        this.trainable = trainable;
    }

    @Override
    public Operand<TFloat32> weight(String name, long[] shape, Init init) {
        return weights.computeIfAbsent(name, n -> {
            Weights.Tensor value = startingValue(n, shape, init);
            if (trainable.test(n)) {
                Variable<TFloat32> v = tf.withName(opName(n)).variable(constant(value));
                variables.put(n, v);
                return v;
            }
            frozen.put(n, value);
            return constant(value);
        });
    }

    @Override
    public Operand<TFloat32> state(String name, long[] shape, Init init) {
        return states.computeIfAbsent(name, n -> tf.withName(opName(n)).variable(constant(startingValue(n, shape, init))));
    }

    @Override
    public void update(String name, Operand<TFloat32> value) {
        updates.add(tf.assign(states.get(name), value));
    }

    @Override
    public boolean training() {
        return true;
    }

    /** The same parameters, read as a serving graph reads them. */
    public Params evaluation() {
        return evaluation(Map.of());
    }

    /** The parameters read as a serving graph reads them, with some trained ones read from {@code substitutes} instead. */
    public Params evaluation(Map<String, ? extends Operand<TFloat32>> substitutes) {
        TrainingParams self = this;
        return new Params() {
            @Override
            public Operand<TFloat32> weight(String name, long[] shape, Init init) {
                Operand<TFloat32> substitute = substitutes.get(name);
                return substitute != null ? substitute : self.weight(name, shape, init);
            }

            @Override
            public Operand<TFloat32> state(String name, long[] shape, Init init) {
                return self.state(name, shape, init);
            }

            @Override
            public void update(String name, Operand<TFloat32> value) {
                // Serving mode changes nothing.
            }

            @Override
            public boolean training() {
                return false;
            }
        };
    }

    /** The variables the optimiser moves. */
    public Map<String, Variable<TFloat32>> trainableVariables() {
        return variables;
    }

    /** Assignments of running statistics, to run with every training step. */
    public List<Op> stateUpdates() {
        return updates;
    }

    /** Every parameter's current value: trained variables and states from the session, frozen ones as they were. */
    public Weights snapshot(Session session) {
        return snapshot(session, Map.of());
    }

    /** As {@link #snapshot(Session)}, with some trained variables' values read from {@code substitutes} instead. */
    public Weights snapshot(Session session, Map<String, Variable<TFloat32>> substitutes) {
        Weights out = new Weights();
        Map<String, Variable<TFloat32>> all = new LinkedHashMap<>(variables);
        all.putAll(substitutes);
        all.putAll(states);
        List<String> names = new ArrayList<>(all.keySet());
        if (!names.isEmpty()) {
            Session.Runner runner = session.runner();
            names.forEach(n -> runner.fetch(all.get(n)));
            try (Result result = runner.run()) {
                for (int i = 0; i < names.size(); i++) {
                    TFloat32 t = (TFloat32) result.get(i);
                    float[] values = new float[(int) t.shape().size()];
                    t.copyTo(DataBuffers.of(values, false, false));
                    out.put(names.get(i), new Weights.Tensor(t.shape().asArray(), values));
                }
            }
        }
        frozen.forEach(out::put);
        return out;
    }

    private Weights.Tensor startingValue(String name, long[] shape, Init init) {
        Weights.Tensor given = initial.get(name);
        if (given != null) {
            if (!java.util.Arrays.equals(given.shape(), shape)) {
                throw new IllegalArgumentException("Layer " + layer(name) + ": the initial " + name + " has shape "
                        + java.util.Arrays.toString(given.shape()) + ", the network needs " + java.util.Arrays.toString(shape));
            }
            return given;
        }
        if (required.test(name)) {
            throw new IllegalArgumentException("Layer " + layer(name) + ": the weights lack " + name + " " + java.util.Arrays.toString(shape));
        }
        return new Weights.Tensor(shape, init.values(shape, random));
    }

    private Operand<TFloat32> constant(Weights.Tensor value) {
        return tf.constant(Shape.of(value.shape()), DataBuffers.of(value.values(), true, false));
    }

    /** {@code conv_pw_3/kernel} belongs to layer {@code conv_pw_3}. */
    static String layer(String parameter) {
        int slash = parameter.lastIndexOf('/');
        return slash < 0 ? parameter : parameter.substring(0, slash);
    }

    public static String opName(String name) {
        return name.replaceAll("[^A-Za-z0-9_.-]", "_");
    }
}
