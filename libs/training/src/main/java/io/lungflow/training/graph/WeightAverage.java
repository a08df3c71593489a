package io.lungflow.training.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * An exponential moving average of the trained variables (Polyak and Juditsky, 1992; the scheme of
 * TensorFlow's {@code ExponentialMovingAverage}): after every optimiser step,
 * {@code average = d * average + (1 - d) * variable}. The average of the last few hundred steps
 * generalises better than the weights of any single step when the data is small and each step's
 * gradient noisy, and it is what early stopping judges and export writes when averaging is on.
 */
public final class WeightAverage {

    private final Placeholder<TFloat32> decay;
    private final Map<String, Variable<TFloat32>> averages = new LinkedHashMap<>();
    private final Op update;
    private final Op reset;

    /**
     * @param variables the trained variables, by parameter name
     * @param after the optimiser step; the averages read the variables once it has run
     */
    public WeightAverage(Ops tf, Map<String, Variable<TFloat32>> variables, Op after) {
        decay = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
        Ops stepped = tf.withControlDependencies(List.of(after));
        List<Op> updates = new ArrayList<>();
        List<Op> resets = new ArrayList<>();
        variables.forEach((name, v) -> {
            Variable<TFloat32> average = tf.withName(TrainingParams.opName(name) + "_average").variable(tf.zerosLike(v));
            averages.put(name, average);
            updates.add(stepped.assign(average, stepped.math.add(stepped.math.mul(average, decay),
                    stepped.math.mul(v, stepped.math.sub(stepped.constant(1f), decay)))));
            resets.add(tf.assign(average, v));
        });
        update = tf.withControlDependencies(updates).noOp();
        reset = tf.withControlDependencies(resets).noOp();
    }

    /**
     * The decay at a step: the configured one, but lower early on, {@code (1 + t) / (10 + t)}, so
     * that the first averages are not held at the starting weights.
     */
    public static float decayAt(double configured, long step) {
        return (float) Math.min(configured, (1.0 + step) / (10.0 + step));
    }

    /** Starts every average at its variable's current value; run once after initialisation. */
    public void reset(Session session) {
        session.runner().addTarget(reset).run();
    }

    /** The optimiser step followed by the averages' update; run it with {@link #decay()} fed instead of the step. */
    public Op update() {
        return update;
    }

    public Placeholder<TFloat32> decay() {
        return decay;
    }

    /** The averages, by parameter name. */
    public Map<String, Variable<TFloat32>> averages() {
        return Collections.unmodifiableMap(averages);
    }
}
