package io.lungflow.imaging;

import io.lungflow.schemas.ModelManifest;
import java.util.List;

/**
 * Prepares a grayscale image exactly as a model's manifest says: resize to the input size, then
 * {@code (x * scale - mean[c]) / std[c]} for each channel (the gray value repeated when the model
 * takes three), laid out height × width × channels. Training and serving both call this, so a
 * model always sees at serving time what it saw in training.
 */
public final class Preprocessor {

    private final int height;
    private final int width;
    private final int channels;
    private final Resize.Method resize;
    private final float scale;
    private final float[] mean;
    private final float[] std;

    public Preprocessor(ModelManifest.Input input, ModelManifest.Preprocessing preprocessing) {
        if (!"grayscale".equals(preprocessing.colorMode())) {
            throw new IllegalArgumentException("Unsupported color mode " + preprocessing.colorMode());
        }
        this.height = input.height();
        this.width = input.width();
        this.channels = input.channels();
        this.resize = Resize.Method.of(preprocessing.resize());
        this.scale = (float) preprocessing.normalization().scale();
        this.mean = perChannel(preprocessing.normalization().mean(), channels, "mean");
        this.std = perChannel(preprocessing.normalization().std(), channels, "std");
    }

    public static Preprocessor of(ModelManifest manifest) {
        return new Preprocessor(manifest.input(), manifest.preprocessing());
    }

    /** Number of floats one image becomes. */
    public int size() {
        return height * width * channels;
    }

    public float[] apply(GrayImage image) {
        float[] out = new float[size()];
        apply(image, out, 0);
        return out;
    }

    /** Writes the image's tensor into {@code batch} at {@code offset}, for building batches without copies. */
    public void apply(GrayImage image, float[] batch, int offset) {
        float[] resized = Resize.resize(image, width, height, resize);
        int o = offset;
        for (float v : resized) {
            float scaled = v * scale;
            for (int c = 0; c < channels; c++) {
                batch[o++] = (scaled - mean[c]) / std[c];
            }
        }
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public int channels() {
        return channels;
    }

    private static float[] perChannel(List<Double> values, int channels, String what) {
        if (values.size() != 1 && values.size() != channels) {
            throw new IllegalArgumentException(what + " has " + values.size() + " values for " + channels + " channels");
        }
        float[] out = new float[channels];
        for (int c = 0; c < channels; c++) {
            out[c] = values.get(values.size() == 1 ? 0 : c).floatValue();
        }
        return out;
    }
}
