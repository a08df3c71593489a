package io.lungflow.inference.engine;

/** Preprocessed images, laid out [n, height, width, channels], ready for one forward pass. */
public record PreparedBatch(float[] data, int n, int height, int width, int channels) {

    public PreparedBatch {
        if ((long) n * height * width * channels != data.length) {
            throw new IllegalArgumentException("A batch of " + n + " " + height + "×" + width + "×" + channels + " images needs "
                    + (long) n * height * width * channels + " values, got " + data.length);
        }
    }
}
