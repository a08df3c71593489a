package io.lungflow.training;

import java.util.Arrays;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Recalibrates a network's class probabilities on images it did not train on:
 * {@code q = softmax(scale · log p + bias)}, with {@code bias[0] = 0}. For two classes this is
 * Platt scaling of the network's logit (Platt, 1999); for more it is temperature scaling with a
 * bias per class (Guo et al., 2017). The {@code k} parameters are fitted by minimising the
 * cross-entropy against Platt's regularised targets: the true class {@code (n+1)/(n+2)} for a class
 * with {@code n} examples, the rest shared by the others, so a small tune split cannot push the
 * probabilities to 0 or 1.
 *
 * <p>A network trained on some sources and shown images from others tends to be off in a
 * consistent direction (on COVID-CT, new papers' COVID slices score low); refitting on the tune
 * split, which is grouped by source like the held-out data, moves the probabilities, and so the
 * meaning of 0.5, back. The ranking of images, and with it the ROC AUC, never changes.
 */
public record Recalibration(double scale, double[] bias) {

    /** Probabilities are floored here before their log, in Java and in the graph alike. */
    private static final float MIN_PROBABILITY = 1e-7f;
    private static final double MIN_LOG = Math.log(MIN_PROBABILITY);
    private static final int MAX_ITERATIONS = 100;

    public Recalibration {
        if (!(scale > 0) || !Double.isFinite(scale) || bias.length < 2 || bias[0] != 0) {
            throw new IllegalArgumentException("A recalibration needs a positive scale and a bias per class, the first 0");
        }
        bias = bias.clone();
    }

    /** Leaves the probabilities as they are. */
    public static Recalibration identity(int classes) {
        return new Recalibration(1, new double[classes]);
    }

    public boolean isIdentity() {
        return scale == 1 && Arrays.stream(bias).allMatch(b -> b == 0);
    }

    /**
     * Fits scale and biases to {@code probabilities} of examples whose classes are {@code labels}.
     * Where a class has no example, nothing can be learned about it and the identity is returned.
     */
    public static Recalibration fit(float[][] probabilities, int[] labels, int classes) {
        int[] counts = new int[classes];
        for (int label : labels) {
            counts[label]++;
        }
        if (Arrays.stream(counts).anyMatch(c -> c == 0)) {
            return identity(classes);
        }
        double[][] logs = logs(probabilities);
        double[][] targets = new double[labels.length][classes];
        for (int i = 0; i < labels.length; i++) {
            double own = (counts[labels[i]] + 1.0) / (counts[labels[i]] + 2.0);
            Arrays.fill(targets[i], (1 - own) / (classes - 1));
            targets[i][labels[i]] = own;
        }
        // Parameters: scale, then bias[1..k-1]. The loss is convex in them (the softmax inputs are
        // linear in them), so Newton's method with a backtracking step finds the minimum in a few steps.
        double[] theta = new double[classes];
        theta[0] = 1;
        double[] gradient = new double[classes];
        double[][] hessian = new double[classes][classes];
        double loss = loss(theta, logs, targets, gradient, hessian);
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            double[] direction = solve(hessian, gradient);
            double decrease = 0;
            for (int j = 0; j < classes; j++) {
                decrease += gradient[j] * direction[j];
            }
            if (!(decrease > 1e-14)) {
                break;
            }
            double step = 1;
            double[] candidate = new double[classes];
            double[] candidateGradient = new double[classes];
            double[][] candidateHessian = new double[classes][classes];
            double candidateLoss;
            while (true) {
                for (int j = 0; j < classes; j++) {
                    candidate[j] = theta[j] - step * direction[j];
                }
                candidateLoss = loss(candidate, logs, targets, candidateGradient, candidateHessian);
                if (candidateLoss <= loss - 1e-4 * step * decrease || step < 1e-10) {
                    break;
                }
                step /= 2;
            }
            if (!(candidateLoss <= loss)) {
                break;
            }
            theta = candidate;
            gradient = candidateGradient;
            hessian = candidateHessian;
            loss = candidateLoss;
        }
        if (!(theta[0] > 0)) {
            // The tune examples rank the other way round from training: nothing sound to apply.
            return identity(classes);
        }
        double[] bias = new double[classes];
        System.arraycopy(theta, 1, bias, 1, classes - 1);
        return new Recalibration(theta[0], bias);
    }

    /** Recalibrated probabilities, computed as the exported graph computes them. */
    public float[][] apply(float[][] probabilities) {
        double[][] logs = logs(probabilities);
        float[][] out = new float[logs.length][];
        for (int i = 0; i < logs.length; i++) {
            double[] q = softmax(logs[i], scale, bias);
            out[i] = new float[q.length];
            for (int c = 0; c < q.length; c++) {
                out[i][c] = (float) q[c];
            }
        }
        return out;
    }

    /** The same computation as graph operations on a [batch, classes] tensor of probabilities. */
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> probabilities) {
        float[] b = new float[bias.length];
        for (int c = 0; c < b.length; c++) {
            b[c] = (float) bias[c];
        }
        Operand<TFloat32> logs = tf.math.log(tf.math.maximum(probabilities, tf.constant(MIN_PROBABILITY)));
        return tf.nn.softmax(tf.math.add(tf.math.mul(logs, tf.constant((float) scale)), tf.constant(b)));
    }

    @Override
    public String toString() {
        return String.format("scale %.4f, bias %s", scale,
                Arrays.toString(Arrays.stream(bias).map(b -> Math.round(b * 10000) / 10000.0).toArray()));
    }

    /** Mean cross-entropy against the targets; writes its gradient and Hessian with respect to theta. */
    private static double loss(double[] theta, double[][] logs, double[][] targets, double[] gradient, double[][] hessian) {
        int k = theta.length;
        Arrays.fill(gradient, 0);
        for (double[] row : hessian) {
            Arrays.fill(row, 0);
        }
        double[] bias = new double[k];
        System.arraycopy(theta, 1, bias, 1, k - 1);
        double total = 0;
        double[][] weighted = new double[k][k];
        for (int i = 0; i < logs.length; i++) {
            double[] q = softmax(logs[i], theta[0], bias);
            // d(loss)/d(u_c) = q_c - t_c; d(u_c)/d(scale) = log p_c; d(u_c)/d(bias_j) = [c = j].
            for (int c = 0; c < k; c++) {
                total -= targets[i][c] * Math.log(Math.max(q[c], 1e-300));
                double d = q[c] - targets[i][c];
                gradient[0] += d * logs[i][c];
                if (c > 0) {
                    gradient[c] += d;
                }
            }
            // Hessian: J^T (diag q - q q^T) J, with J's row c = (log p_c, e_c without class 0).
            for (int c = 0; c < k; c++) {
                for (int e = 0; e < k; e++) {
                    weighted[c][e] = (c == e ? q[c] : 0) - q[c] * q[e];
                }
            }
            for (int a = 0; a < k; a++) {
                for (int b = 0; b < k; b++) {
                    double h = 0;
                    for (int c = 0; c < k; c++) {
                        for (int e = 0; e < k; e++) {
                            h += jacobian(logs[i], c, a) * weighted[c][e] * jacobian(logs[i], e, b);
                        }
                    }
                    hessian[a][b] += h;
                }
            }
        }
        for (int a = 0; a < k; a++) {
            gradient[a] /= logs.length;
            for (int b = 0; b < k; b++) {
                hessian[a][b] /= logs.length;
            }
            hessian[a][a] += 1e-9; // keeps the system solvable when the probabilities carry no information
        }
        return total / logs.length;
    }

    /** d(u_c)/d(theta_j). */
    private static double jacobian(double[] logs, int c, int j) {
        return j == 0 ? logs[c] : (c == j ? 1 : 0);
    }

    /** Solves the small symmetric system {@code a x = b} by Gaussian elimination with partial pivoting. */
    private static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        double[][] m = new double[n][n + 1];
        for (int r = 0; r < n; r++) {
            System.arraycopy(a[r], 0, m[r], 0, n);
            m[r][n] = b[r];
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
                    pivot = r;
                }
            }
            double[] swap = m[col];
            m[col] = m[pivot];
            m[pivot] = swap;
            for (int r = col + 1; r < n; r++) {
                double f = m[r][col] / m[col][col];
                for (int c = col; c <= n; c++) {
                    m[r][c] -= f * m[col][c];
                }
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double sum = m[r][n];
            for (int c = r + 1; c < n; c++) {
                sum -= m[r][c] * x[c];
            }
            x[r] = sum / m[r][r];
        }
        return x;
    }

    private static double[] softmax(double[] logs, double scale, double[] bias) {
        double[] u = new double[logs.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < u.length; c++) {
            u[c] = scale * logs[c] + bias[c];
            max = Math.max(max, u[c]);
        }
        double sum = 0;
        for (int c = 0; c < u.length; c++) {
            u[c] = Math.exp(u[c] - max);
            sum += u[c];
        }
        for (int c = 0; c < u.length; c++) {
            u[c] /= sum;
        }
        return u;
    }

    private static double[][] logs(float[][] probabilities) {
        double[][] out = new double[probabilities.length][];
        for (int i = 0; i < probabilities.length; i++) {
            out[i] = new double[probabilities[i].length];
            for (int c = 0; c < out[i].length; c++) {
                out[i][c] = Math.max(MIN_LOG, Math.log(probabilities[i][c]));
            }
        }
        return out;
    }
}
