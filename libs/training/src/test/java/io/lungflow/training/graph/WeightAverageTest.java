package io.lungflow.training.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.lungflow.training.TensorFlowRuntime;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** The moving average of the weights follows the optimiser's steps as the formula says, and is what a snapshot keeps. */
class WeightAverageTest {

    @Test
    void theAverageReadsEachVariableAfterItsStepAndDecaysAsFed() {
        TensorFlowRuntime.configure();
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Ops tf = Ops.create(graph);
            TrainingParams params = new TrainingParams(tf, new Random(1), new Weights().put("w", new Weights.Tensor(new long[] {2},
                    new float[] {10f, -4f})), name -> true);
            Operand<TFloat32> w = params.weight("w", new long[] {2}, Init.ZEROS);
            Variable<TFloat32> variable = params.trainableVariables().get("w");
            // A stand-in optimiser step: every step adds 2 to each element.
            Op step = tf.withControlDependencies(java.util.List.of(tf.assignAdd(variable, tf.constant(new float[] {2f, 2f})))).noOp();
            WeightAverage average = new WeightAverage(tf, params.trainableVariables(), step);
            session.initialize();
            average.reset(session);

            double[] expected = {10, -4};
            double[] current = {10, -4};
            float[] decays = {0.5f, 0.5f, 0.9f};
            for (float d : decays) {
                try (TFloat32 fed = TFloat32.scalarOf(d)) {
                    session.runner().feed(average.decay(), fed).addTarget(average.update()).run();
                }
                for (int i = 0; i < 2; i++) {
                    current[i] += 2;
                    expected[i] = d * expected[i] + (1 - d) * current[i];
                }
            }
            float[] averaged = read(session, average.averages().get("w"));
            assertThat((double) averaged[0]).isCloseTo(expected[0], within(1e-5));
            assertThat((double) averaged[1]).isCloseTo(expected[1], within(1e-5));
            // The variable itself moved on; the snapshot keeps the average in its place.
            assertThat(read(session, variable)).containsExactly(16f, 2f);
            Weights kept = params.snapshot(session, average.averages());
            assertThat(kept.get("w").values()).containsExactly(averaged);
            assertThat(params.snapshot(session).get("w").values()).containsExactly(16f, 2f);
            // The serving-mode view built on the averages reads them.
            Operand<TFloat32> viewed = params.evaluation(average.averages()).weight("w", new long[] {2}, Init.ZEROS);
            assertThat(read(session, viewed)).containsExactly(averaged);
            assertThat(w).isSameAs(variable);
        }
    }

    @Test
    void earlyStepsAverageOverFewerSteps() {
        assertThat(WeightAverage.decayAt(0.99, 0)).isCloseTo(0.1f, within(1e-6f));
        assertThat(WeightAverage.decayAt(0.99, 90)).isCloseTo(0.91f, within(1e-6f));
        assertThat(WeightAverage.decayAt(0.99, 100_000)).isCloseTo(0.99f, within(1e-6f));
    }

    private static float[] read(Session session, Operand<TFloat32> operand) {
        try (Result result = session.runner().fetch(operand).run()) {
            TFloat32 t = (TFloat32) result.get(0);
            float[] values = new float[(int) t.shape().size()];
            t.copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(values, false, false));
            return values;
        }
    }
}
