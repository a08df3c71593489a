package io.lungflow.inference.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import java.nio.FloatBuffer;

/**
 * Feeds a prepared batch to the model's serving signature and reads its probabilities back. The
 * input tensor is created on the context's manager, which DJL opens for one call and closes after
 * it: no native memory outlives a batch.
 */
public final class BatchTranslator implements NoBatchifyTranslator<PreparedBatch, float[][]> {

    private final String inputName;
    private final String outputName;
    private final int classes;

    public BatchTranslator(String inputName, String outputName, int classes) {
        this.inputName = inputName;
        this.outputName = outputName;
        this.classes = classes;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, PreparedBatch batch) {
        NDArray images = ctx.getNDManager().create(FloatBuffer.wrap(batch.data()),
                new Shape(batch.n(), batch.height(), batch.width(), batch.channels()));
        images.setName(inputName);
        return new NDList(images);
    }

    @Override
    public float[][] processOutput(TranslatorContext ctx, NDList list) {
        NDArray output = list.contains(outputName) ? list.get(outputName) : list.singletonOrThrow();
        long[] shape = output.getShape().getShape();
        if (shape.length != 2 || shape[1] != classes) {
            throw new IllegalStateException("The model answered shape " + output.getShape() + ", expected [n, " + classes + "]");
        }
        float[] flat = output.toFloatArray();
        int n = (int) shape[0];
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            out[i] = java.util.Arrays.copyOfRange(flat, i * classes, (i + 1) * classes);
        }
        return out;
    }
}
