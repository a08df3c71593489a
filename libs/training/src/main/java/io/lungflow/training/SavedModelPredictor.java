package io.lungflow.training;

import io.lungflow.imaging.GrayImage;
import io.lungflow.imaging.Preprocessor;
import io.lungflow.modelkit.ArtifactException;
import io.lungflow.modelkit.ModelArtifact;
import io.lungflow.schemas.ModelManifest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Runs an exported model version with TensorFlow Java, preparing images as its manifest says:
 * what {@code evaluate} and {@code predict} use, so they measure the artifact that is served.
 */
public final class SavedModelPredictor implements AutoCloseable {

    private static final int BATCH = 32;

    private final ModelManifest manifest;
    private final SavedModelBundle bundle;
    private final SessionFunction function;
    private final Preprocessor preprocessor;

    private SavedModelPredictor(ModelManifest manifest, SavedModelBundle bundle) {
        this.manifest = manifest;
        this.bundle = bundle;
        this.function = bundle.function(manifest.signature().name());
        this.preprocessor = Preprocessor.of(manifest);
    }

    /** Loads the version in {@code dir} after checking every file against the manifest. */
    public static SavedModelPredictor load(Path dir, int threads) throws ArtifactException {
        ModelManifest manifest = ModelArtifact.readManifest(dir);
        ModelArtifact.verify(dir, manifest);
        return loadUnverified(dir, manifest, threads);
    }

    /** Loads a SavedModel whose manifest is not written yet (right after export). */
    public static SavedModelPredictor loadUnverified(Path dir, ModelManifest manifest, int threads) {
        TensorFlowRuntime.configure();
        SavedModelBundle bundle = SavedModelBundle.loader(dir.toString())
                .withTags("serve")
                .withConfigProto(TensorFlowRuntime.config(threads))
                .load();
        return new SavedModelPredictor(manifest, bundle);
    }

    public ModelManifest manifest() {
        return manifest;
    }

    /** Class probabilities for each image, in the manifest's class order. */
    public float[][] predict(List<GrayImage> images) {
        int k = manifest.classes().size();
        float[][] out = new float[images.size()][];
        ModelManifest.Input in = manifest.input();
        for (int from = 0; from < images.size(); from += BATCH) {
            int n = Math.min(BATCH, images.size() - from);
            float[] x = new float[n * preprocessor.size()];
            for (int i = 0; i < n; i++) {
                preprocessor.apply(images.get(from + i), x, i * preprocessor.size());
            }
            try (TFloat32 input = ModelTrainer.tensor(x, n, in.height(), in.width(), in.channels());
                    Result result = function.call(Map.of(manifest.signature().inputTensor(), (Tensor) input))) {
                TFloat32 probabilities = (TFloat32) result.get(manifest.signature().outputTensor())
                        .orElseThrow(() -> new IllegalStateException("The model has no output " + manifest.signature().outputTensor()));
                float[] flat = new float[n * k];
                probabilities.copyTo(DataBuffers.of(flat, false, false));
                for (int i = 0; i < n; i++) {
                    out[from + i] = java.util.Arrays.copyOfRange(flat, i * k, (i + 1) * k);
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        bundle.close();
    }
}
