package io.lungflow.training.graph;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Adam (Kingma and Ba, 2015) on TensorFlow's own {@code ApplyAdam} kernel, with the learning rate
 * fed at every step so it can follow a schedule, scaled per variable where layers learn at different rates. TensorFlow Java's framework optimiser takes only
 * a constant rate.
 */
public final class ScheduledAdam {

    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-7f;

    private final Placeholder<TFloat32> learningRate;
    private final Op step;

    /** Builds the update of every variable from its gradient; run {@link #step()} with the rate fed. */
    public ScheduledAdam(Ops tf, List<Variable<TFloat32>> variables, List<Output<TFloat32>> gradients, List<Float> rateScales) {
        learningRate = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
        Variable<TFloat32> beta1Power = tf.withName("adam_beta1_power").variable(tf.constant(BETA1));
        Variable<TFloat32> beta2Power = tf.withName("adam_beta2_power").variable(tf.constant(BETA2));
        List<Op> updates = new ArrayList<>();
        for (int i = 0; i < variables.size(); i++) {
            Variable<TFloat32> v = variables.get(i);
            Variable<TFloat32> m = tf.variable(tf.zerosLike(v));
            Variable<TFloat32> s = tf.variable(tf.zerosLike(v));
            Operand<TFloat32> rate = rateScales.get(i) == 1f ? learningRate : tf.math.mul(learningRate, tf.constant(rateScales.get(i)));
            updates.add(tf.train.applyAdam(v, m, s, beta1Power, beta2Power, rate, tf.constant(BETA1), tf.constant(BETA2),
                    tf.constant(EPSILON), gradients.get(i)));
        }
        // Advance the bias corrections only after every variable has used the current ones.
        Ops after = tf.withControlDependencies(updates);
        Operand<TFloat32> next1 = after.math.mul(beta1Power, after.constant(BETA1));
        Operand<TFloat32> next2 = after.math.mul(beta2Power, after.constant(BETA2));
        step = after.withControlDependencies(List.of(after.assign(beta1Power, next1), after.assign(beta2Power, next2))).noOp();
    }

    public Placeholder<TFloat32> learningRate() {
        return learningRate;
    }

    public Op step() {
        return step;
    }

    /** Cosine decay from {@code base} to zero over {@code totalSteps}, after a linear warm-up of {@code warmupSteps}. */
    public static float cosine(double base, long stepIndex, long totalSteps, long warmupSteps) {
        if (stepIndex < warmupSteps) {
            return (float) (base * (stepIndex + 1) / warmupSteps);
        }
        double progress = (double) (stepIndex - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
        return (float) (base * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, progress))));
    }
}
