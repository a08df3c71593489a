package io.lungflow.inference.engine;

import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import io.lungflow.imaging.Preprocessor;
import io.lungflow.schemas.ModelManifest;
import io.lungflow.schemas.ModelRef;
import java.io.IOException;
import java.nio.file.Path;

/**
 * One model version loaded with DJL: its manifest, the preprocessing the manifest prescribes, and a
 * predictor. Predictors are not thread-safe: one thread (the scan consumer) uses {@link #predict};
 * others open their own with {@link #newPredictor()}.
 */
public final class LoadedModel implements AutoCloseable {

    private final ModelRef ref;
    private final ModelManifest manifest;
    private final Preprocessor preprocessor;
    private final ZooModel<PreparedBatch, float[][]> model;
    private final Predictor<PreparedBatch, float[][]> predictor;
    private double loadMillis;

    private LoadedModel(ModelRef ref, ModelManifest manifest, ZooModel<PreparedBatch, float[][]> model) {
        this.ref = ref;
        this.manifest = manifest;
        this.preprocessor = Preprocessor.of(manifest);
        this.model = model;
        this.predictor = model.newPredictor();
    }

    /** Loads the SavedModel in {@code dir} (already verified against its manifest) and warms it up. */
    public static LoadedModel load(TensorFlowEngine engine, Path dir, ModelManifest manifest) throws ModelLoadException {
        engine.engine();
        long started = System.nanoTime();
        Criteria<PreparedBatch, float[][]> criteria = Criteria.builder()
                .setTypes(PreparedBatch.class, float[][].class)
                .optModelPath(dir)
                .optEngine(TensorFlowEngine.NAME)
                .optOption("SignatureDefKey", manifest.signature().name())
                .optOption("ConfigProto", engine.sessionConfig())
                .optTranslator(new BatchTranslator(manifest.signature().inputTensor(), manifest.signature().outputTensor(),
                        manifest.classes().size()))
                .build();
        LoadedModel loaded = null;
        try {
            ZooModel<PreparedBatch, float[][]> model = criteria.loadModel();
            loaded = new LoadedModel(new ModelRef(manifest.name(), manifest.version()), manifest, model);
            loaded.warmUp();
            loaded.loadMillis = (System.nanoTime() - started) / 1e6;
            return loaded;
        } catch (IOException | ModelNotFoundException | MalformedModelException | TranslateException | RuntimeException e) {
            if (loaded != null) {
                loaded.close();
            }
            throw new ModelLoadException("loading " + manifest.name() + ":" + manifest.version() + " failed: " + e.getMessage(), e);
        }
    }

    /** One forward pass on zeros: the first call allocates and optimises, so a real scan does not pay for it. */
    private void warmUp() throws TranslateException {
        float[][] out = predict(new PreparedBatch(new float[preprocessor.size()], 1, preprocessor.height(), preprocessor.width(),
                preprocessor.channels()));
        if (out.length != 1 || out[0].length != manifest.classes().size()) {
            throw new IllegalStateException("warm-up answered " + out.length + " rows");
        }
    }

    /** Probabilities per image, in the manifest's class order. Call from one thread only. */
    public float[][] predict(PreparedBatch batch) throws TranslateException {
        return predictor.predict(batch);
    }

    public Predictor<PreparedBatch, float[][]> newPredictor() {
        return model.newPredictor();
    }

    public ModelRef ref() {
        return ref;
    }

    public ModelManifest manifest() {
        return manifest;
    }

    public Preprocessor preprocessor() {
        return preprocessor;
    }

    public double loadMillis() {
        return loadMillis;
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
    }
}
