package io.lungflow.training.graph;

import java.util.Random;

/** How a parameter starts before training, computed in Java from a seeded generator (reproducible). */
public enum Init {
    ZEROS,
    ONES,
    /** He et al. (2015): normal with variance 2 / fan-in, for layers followed by ReLU. */
    HE_NORMAL,
    /** Glorot and Bengio (2010): uniform in ±sqrt(6 / (fan-in + fan-out)). */
    GLOROT_UNIFORM;

    public float[] values(long[] shape, Random random) {
        int size = 1;
        for (long d : shape) {
            size = Math.multiplyExact(size, (int) d);
        }
        float[] out = new float[size];
        switch (this) {
            case ZEROS -> {
            }
            case ONES -> java.util.Arrays.fill(out, 1f);
            case HE_NORMAL -> {
                double std = Math.sqrt(2.0 / fanIn(shape));
                for (int i = 0; i < size; i++) {
                    out[i] = (float) (random.nextGaussian() * std);
                }
            }
            case GLOROT_UNIFORM -> {
                double limit = Math.sqrt(6.0 / (fanIn(shape) + fanOut(shape)));
                for (int i = 0; i < size; i++) {
                    out[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
                }
            }
        }
        return out;
    }

    /** Kernels are [kh, kw, in, out] or [in, out]. */
    private static long fanIn(long[] shape) {
        long receptive = 1;
        for (int i = 0; i < shape.length - 2; i++) {
            receptive *= shape[i];
        }
        return shape.length >= 2 ? receptive * shape[shape.length - 2] : shape[0];
    }

    private static long fanOut(long[] shape) {
        long receptive = 1;
        for (int i = 0; i < shape.length - 2; i++) {
            receptive *= shape[i];
        }
        return shape.length >= 2 ? receptive * shape[shape.length - 1] : shape[0];
    }
}
