package io.lungflow.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.lungflow.imaging.Augmenter;
import io.lungflow.imaging.GrayImage;
import io.lungflow.imaging.ImageDecoding;
import io.lungflow.imaging.Preprocessor;
import io.lungflow.modelkit.ModelArtifact;
import io.lungflow.schemas.Contract;
import io.lungflow.schemas.EventJson;
import io.lungflow.schemas.ModelManifest;
import io.lungflow.schemas.SchemaValidator;
import io.lungflow.training.arch.SmallCnn;
import io.lungflow.training.dataset.ImportOptions;
import io.lungflow.imaging.SyntheticImages;
import io.lungflow.training.graph.TrainingParams;
import io.lungflow.training.graph.Weights;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Training with TensorFlow Java learns separable synthetic data, and what is exported computes
 * exactly what the training graph computes in serving mode.
 */
class TrainAndExportTest {

    private static final SmallCnn TINY = new SmallCnn(32, new int[] {8, 16}, 16, 0.2f);

    @TempDir
    Path dir;

    @Test
    void aRunLearnsSeparableDataAndWritesAVerifiableVersion() throws Exception {
        Path data = dir.resolve("data");
        SyntheticImages.splitFolders(data, List.of("covid", "non-covid"), List.of("train", "val", "test"), 24, 40, 11);
        Path out = dir.resolve("model");
        TrainingOptions options = new TrainingOptions(12, 16, 3e-3, 1e-4, 12, 7, new Augmenter(5, 0.05, 0.05, true), true, 2);

        TrainingRun.Report report = TrainingRun.run(new TrainingRun.Request(data, ImportOptions.defaults(), d -> TINY, options, 0.95,
                "synthetic", "1", out, 1, false), TrainingProgress.NONE, line -> { });

        assertThat(report.heldOut().n()).isEqualTo(48);
        assertThat(report.heldOut().atHalf().accuracy()).isGreaterThanOrEqualTo(0.9);
        assertThat(report.heldOut().auc()).isGreaterThanOrEqualTo(0.95);
        ModelManifest manifest = ModelArtifact.readManifest(out);
        ModelArtifact.verify(out, manifest);
        assertThat(manifest.classes()).containsExactly("covid", "non-covid");
        assertThat(manifest.threshold()).isEqualTo(report.heldOut().threshold());
        assertThat(manifest.offlineMetrics()).containsEntry("split", "test (held out)");
        assertThat((String) manifest.offlineMetrics().get("recalibration")).startsWith("on tune: scale ");
        assertThat(new SchemaValidator().validate(Contract.MODEL_MANIFEST, EventJson.mapper().valueToTree(manifest))).isEmpty();
        assertThat(manifest.files()).extracting(ModelManifest.FileEntry::path).contains("saved_model.pb", "evaluation.json");
    }

    @Test
    void aRunKeepingTheAveragedWeightsWithSmoothedLabelsLearnsAndExportsThem() throws Exception {
        Path data = dir.resolve("data");
        SyntheticImages.splitFolders(data, List.of("covid", "non-covid"), List.of("train", "val", "test"), 24, 40, 11);
        Path out = dir.resolve("model");
        TrainingOptions options = new TrainingOptions(12, 16, 3e-3, 1e-4, 12, 7, new Augmenter(5, 0.05, 0.05, true), true, 2, 0.9, 0.1);

        TrainingRun.Report report = TrainingRun.run(new TrainingRun.Request(data, ImportOptions.defaults(), d -> TINY, options, 0.95,
                "synthetic", "1", out, 1, false), TrainingProgress.NONE, line -> { });

        // The held-out figures are those of the exported (averaged) weights, read back through the SavedModel.
        assertThat(report.heldOut().atHalf().accuracy()).isGreaterThanOrEqualTo(0.9);
        assertThat(report.heldOut().auc()).isGreaterThanOrEqualTo(0.95);
        ModelArtifact.verify(out, ModelArtifact.readManifest(out));
    }

    @Test
    void theExportedModelComputesWhatTheTrainingGraphComputes() throws Exception {
        TensorFlowRuntime.configure();
        Preprocessor preprocessor = new Preprocessor(TINY.input(), TINY.preprocessing());
        List<GrayImage> images = new ArrayList<>();
        Random random = new Random(3);
        for (int i = 0; i < 5; i++) {
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(SyntheticImages.image(i % 2, 40, random, false), "png", png);
            images.add(ImageDecoding.decode(png.toByteArray()));
        }
        float[] batch = new float[images.size() * preprocessor.size()];
        for (int i = 0; i < images.size(); i++) {
            preprocessor.apply(images.get(i), batch, i * preprocessor.size());
        }
        float[] expected = new float[images.size() * 2];
        Weights weights;
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Ops tf = Ops.create(graph);
            Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 32, 32, 1)));
            TrainingParams params = new TrainingParams(tf, new Random(5), new Weights(), n -> true);
            TINY.logits(tf, params, x, 2, 1);
            Operand<TFloat32> serving = tf.nn.softmax(TINY.logits(tf, params.evaluation(), x, 2, 1));
            session.initialize();
            try (TFloat32 in = TFloat32.tensorOf(Shape.of(images.size(), 32, 32, 1), DataBuffers.of(batch, true, false));
                    Result r = session.runner().feed(x, in).fetch(serving).run()) {
                ((TFloat32) r.get(0)).copyTo(DataBuffers.of(expected, false, false));
            }
            weights = params.snapshot(session);
        }
        Path out = dir.resolve("exported");
        ModelExporter.exportSavedModel(TINY, weights, 2, out);
        ModelManifest manifest = ModelExporter.finish(out, ModelExporter.manifest(TINY, "synthetic", "1", List.of("covid", "non-covid"),
                "covid", 0.5, java.util.Map.of(), null));
        try (SavedModelPredictor predictor = SavedModelPredictor.load(out, 1)) {
            float[][] actual = predictor.predict(images);
            for (int i = 0; i < images.size(); i++) {
                for (int c = 0; c < 2; c++) {
                    assertThat(actual[i][c]).isCloseTo(expected[i * 2 + c], within(1e-6f));
                }
            }
        }
        assertThat(manifest.signature().inputTensor()).isEqualTo("image");
    }
}
