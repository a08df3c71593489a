package io.lungflow.training.graph;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.Conv2d;
import org.tensorflow.op.nn.MaxPool;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** The layers lungflow's architectures are made of, over channels-last (NHWC) tensors. */
public final class Layers {

    private Layers() {
    }

    /** 2-D convolution with bias; {@code padding} is "SAME" or "VALID". */
    public static Operand<TFloat32> conv2d(Ops tf, Params p, String name, Operand<TFloat32> x, int kernel, long in, long out,
            int stride, String padding, boolean bias) {
        Operand<TFloat32> w = p.weight(name + "/kernel", new long[] {kernel, kernel, in, out}, Init.HE_NORMAL);
        Operand<TFloat32> y = tf.nn.conv2d(x, w, List.of(1L, (long) stride, (long) stride, 1L), padding, Conv2d.dataFormat("NHWC"));
        return bias ? tf.nn.biasAdd(y, p.weight(name + "/bias", new long[] {out}, Init.ZEROS)) : y;
    }

    /**
     * Depthwise 2-D convolution (one filter per channel, depth multiplier 1); the kernel is
     * [kh, kw, channels, 1], as Keras and TensorFlow store it.
     */
    public static Operand<TFloat32> depthwiseConv2d(Ops tf, Params p, String name, Operand<TFloat32> x, int kernel, long channels,
            int stride, String padding, boolean bias) {
        Operand<TFloat32> w = p.weight(name + "/depthwise_kernel", new long[] {kernel, kernel, channels, 1}, Init.HE_NORMAL);
        Operand<TFloat32> y = tf.nn.depthwiseConv2dNative(x, w, List.of(1L, (long) stride, (long) stride, 1L), padding);
        return bias ? tf.nn.biasAdd(y, p.weight(name + "/bias", new long[] {channels}, Init.ZEROS)) : y;
    }

    /** Zero padding of height and width: {@code pad} rows and columns on every side (as PyTorch and ONNX pad convolutions). */
    public static Operand<TFloat32> pad(Ops tf, Operand<TFloat32> x, int pad) {
        if (pad == 0) {
            return x;
        }
        return tf.pad(x, tf.constant(new int[][] {{0, 0}, {pad, pad}, {pad, pad}, {0, 0}}), tf.constant(0f));
    }

    /** min(max(x, 0), 6), the activation of the MobileNets. */
    public static Operand<TFloat32> relu6(Ops tf, Operand<TFloat32> x) {
        return tf.nn.relu6(x);
    }

    /**
     * Batch normalisation with fixed statistics: the moving mean and variance a pretrained network
     * brings are used while training too and never updated (the scale and offset still learn), so
     * small batches of another domain do not overwrite what ImageNet estimated.
     */
    public static Operand<TFloat32> frozenBatchNorm(Ops tf, Params p, String name, Operand<TFloat32> x, long channels) {
        Operand<TFloat32> gamma = p.weight(name + "/gamma", new long[] {channels}, Init.ONES);
        Operand<TFloat32> beta = p.weight(name + "/beta", new long[] {channels}, Init.ZEROS);
        Operand<TFloat32> mean = p.state(name + "/moving_mean", new long[] {channels}, Init.ZEROS);
        Operand<TFloat32> variance = p.state(name + "/moving_variance", new long[] {channels}, Init.ONES);
        Operand<TFloat32> scale = tf.math.mul(gamma, tf.math.rsqrt(tf.math.add(variance, tf.constant(1e-3f))));
        return tf.math.add(tf.math.mul(tf.math.sub(x, mean), scale), beta);
    }

    /**
     * Batch normalisation (Ioffe and Szegedy, 2015): batch statistics while training, which also
     * move the running averages; the running averages when serving.
     */
    public static Operand<TFloat32> batchNorm(Ops tf, Params p, String name, Operand<TFloat32> x, long channels) {
        float momentum = 0.99f;
        float epsilon = 1e-3f;
        Operand<TFloat32> gamma = p.weight(name + "/gamma", new long[] {channels}, Init.ONES);
        Operand<TFloat32> beta = p.weight(name + "/beta", new long[] {channels}, Init.ZEROS);
        Operand<TFloat32> movingMean = p.state(name + "/moving_mean", new long[] {channels}, Init.ZEROS);
        Operand<TFloat32> movingVariance = p.state(name + "/moving_variance", new long[] {channels}, Init.ONES);
        Operand<TFloat32> mean;
        Operand<TFloat32> variance;
        if (p.training()) {
            Operand<TInt32> axes = tf.constant(new int[] {0, 1, 2});
            mean = tf.math.mean(x, axes);
            variance = tf.math.mean(tf.math.squaredDifference(x, tf.stopGradient(mean)), axes);
            p.update(name + "/moving_mean", tf.math.add(tf.math.mul(movingMean, tf.constant(momentum)),
                    tf.math.mul(tf.stopGradient(mean), tf.constant(1 - momentum))));
            p.update(name + "/moving_variance", tf.math.add(tf.math.mul(movingVariance, tf.constant(momentum)),
                    tf.math.mul(tf.stopGradient(variance), tf.constant(1 - momentum))));
        } else {
            mean = movingMean;
            variance = movingVariance;
        }
        Operand<TFloat32> scale = tf.math.mul(gamma, tf.math.rsqrt(tf.math.add(variance, tf.constant(epsilon))));
        return tf.math.add(tf.math.mul(tf.math.sub(x, mean), scale), beta);
    }

    public static Operand<TFloat32> maxPool(Ops tf, Operand<TFloat32> x, int size, int stride, String padding) {
        return tf.nn.maxPool(x, tf.constant(new int[] {1, size, size, 1}), tf.constant(new int[] {1, stride, stride, 1}), padding,
                MaxPool.dataFormat("NHWC"));
    }

    /** Mean over height and width: [batch, h, w, c] to [batch, c]. */
    public static Operand<TFloat32> globalAveragePool(Ops tf, Operand<TFloat32> x) {
        return tf.math.mean(x, tf.constant(new int[] {1, 2}));
    }

    /** Max over height and width: [batch, h, w, c] to [batch, c]. */
    public static Operand<TFloat32> globalMaxPool(Ops tf, Operand<TFloat32> x) {
        return tf.max(x, tf.constant(new int[] {1, 2}));
    }

    public static Operand<TFloat32> dense(Ops tf, Params p, String name, Operand<TFloat32> x, long in, long out) {
        Operand<TFloat32> w = p.weight(name + "/kernel", new long[] {in, out}, Init.GLOROT_UNIFORM);
        return tf.nn.biasAdd(tf.linalg.matMul(x, w), p.weight(name + "/bias", new long[] {out}, Init.ZEROS));
    }

    /** Inverted dropout while training (Srivastava et al., 2014); the identity when serving. */
    public static Operand<TFloat32> dropout(Ops tf, Params p, Operand<TFloat32> x, float rate, long seed) {
        if (!p.training() || rate <= 0) {
            return x;
        }
        Operand<TFloat32> noise = tf.random.randomUniform(tf.shape(x), TFloat32.class,
                RandomUniform.seed(seed), RandomUniform.seed2(seed * 31 + 7));
        Operand<TFloat32> keep = tf.math.floor(tf.math.add(noise, tf.constant(1 - rate)));
        return tf.math.mul(tf.math.div(x, tf.constant(1 - rate)), keep);
    }

}
