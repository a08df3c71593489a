package io.lungflow.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Recalibration finds the scale and biases that produced the labels, leaves calibrated
 * probabilities alone, never reorders images, and the exported graph computes what Java computes.
 */
class RecalibrationTest {

    /** Network probabilities from random logits, labels drawn from softmax(scale · logit + bias). */
    private record Sample(float[][] probabilities, int[] labels) {
    }

    private static Sample sample(int n, int classes, double scale, double[] bias, long seed) {
        Random random = new Random(seed);
        float[][] p = new float[n][classes];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            double[] logits = new double[classes];
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                logits[c] = random.nextGaussian() * 1.5;
                sum += Math.exp(logits[c]);
            }
            double[] truth = new double[classes];
            double truthSum = 0;
            for (int c = 0; c < classes; c++) {
                p[i][c] = (float) (Math.exp(logits[c]) / sum);
                truth[c] = Math.exp(scale * Math.log(p[i][c]) + bias[c]);
                truthSum += truth[c];
            }
            double u = random.nextDouble() * truthSum;
            int label = 0;
            while (label < classes - 1 && u > truth[label]) {
                u -= truth[label];
                label++;
            }
            labels[i] = label;
        }
        return new Sample(p, labels);
    }

    @Test
    void twoClassesRecoverThePlattParametersThatMadeTheLabels() {
        Sample s = sample(20_000, 2, 1.8, new double[] {0, -0.9}, 1);

        Recalibration r = Recalibration.fit(s.probabilities(), s.labels(), 2);

        assertThat(r.scale()).isCloseTo(1.8, within(0.1));
        assertThat(r.bias()[1]).isCloseTo(-0.9, within(0.1));
    }

    @Test
    void threeClassesRecoverTheTemperatureAndEachBias() {
        Sample s = sample(30_000, 3, 0.6, new double[] {0, 0.7, -0.4}, 2);

        Recalibration r = Recalibration.fit(s.probabilities(), s.labels(), 3);

        assertThat(r.scale()).isCloseTo(0.6, within(0.06));
        assertThat(r.bias()[1]).isCloseTo(0.7, within(0.08));
        assertThat(r.bias()[2]).isCloseTo(-0.4, within(0.08));
    }

    @Test
    void probabilitiesThatAreAlreadyCalibratedStayAsTheyAre() {
        Sample s = sample(20_000, 2, 1, new double[] {0, 0}, 3);

        Recalibration r = Recalibration.fit(s.probabilities(), s.labels(), 2);

        assertThat(r.scale()).isCloseTo(1, within(0.06));
        assertThat(r.bias()[1]).isCloseTo(0, within(0.06));
    }

    @Test
    void aTuneSplitWithoutOneOfTheClassesTeachesNothing() {
        float[][] p = {{0.9f, 0.1f}, {0.6f, 0.4f}};

        assertThat(Recalibration.fit(p, new int[] {0, 0}, 2).isIdentity()).isTrue();
    }

    @Test
    void theOrderOfImagesByProbabilityIsKept() {
        Sample s = sample(500, 2, 1.8, new double[] {0, -0.9}, 4);
        float[][] q = new Recalibration(2.5, new double[] {0, 1.3}).apply(s.probabilities());

        for (int i = 1; i < q.length; i++) {
            assertThat(Float.compare(q[i][1], q[i - 1][1])).isEqualTo(Float.compare(s.probabilities()[i][1], s.probabilities()[i - 1][1]));
            assertThat(q[i][0] + q[i][1]).isCloseTo(1f, within(1e-6f));
        }
    }

    @Test
    void theGraphComputesWhatJavaComputes() {
        Recalibration r = new Recalibration(0.7, new double[] {0, 0.5, -1.2});
        float[][] p = {{0.2f, 0.3f, 0.5f}, {0.98f, 0.01f, 0.01f}, {1f, 0f, 0f}, {1 / 3f, 1 / 3f, 1 / 3f}};
        float[][] expected = r.apply(p);
        float[] flat = new float[12];
        for (int i = 0; i < 4; i++) {
            System.arraycopy(p[i], 0, flat, i * 3, 3);
        }
        float[] actual = new float[12];
        TensorFlowRuntime.configure();
        try (Graph graph = new Graph(); Session session = new Session(graph);
                TFloat32 in = TFloat32.tensorOf(Shape.of(4, 3), DataBuffers.of(flat, true, false))) {
            Ops tf = Ops.create(graph);
            Operand<TFloat32> placeholder = tf.placeholder(TFloat32.class);
            Operand<TFloat32> out = r.apply(tf, placeholder);
            try (Result result = session.runner().feed(placeholder, in).fetch(out).run()) {
                ((TFloat32) result.get(0)).copyTo(DataBuffers.of(actual, false, false));
            }
        }
        for (int i = 0; i < 4; i++) {
            for (int c = 0; c < 3; c++) {
                assertThat(actual[i * 3 + c]).isCloseTo(expected[i][c], within(1e-5f));
            }
        }
    }
}
