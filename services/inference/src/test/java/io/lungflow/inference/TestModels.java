package io.lungflow.inference;

import io.lungflow.imaging.Augmenter;
import io.lungflow.schemas.ModelManifest;
import io.lungflow.training.ModelExporter;
import io.lungflow.imaging.SyntheticImages;
import io.lungflow.training.TensorFlowRuntime;
import io.lungflow.training.TrainingOptions;
import io.lungflow.training.TrainingProgress;
import io.lungflow.training.TrainingRun;
import io.lungflow.training.arch.Architecture;
import io.lungflow.training.arch.SmallCnn;
import io.lungflow.training.dataset.ImportOptions;
import io.lungflow.training.graph.TrainingParams;
import io.lungflow.training.graph.Weights;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** Real models for tests, made with the trainer's own code: trained on synthetic images, or with seeded random weights. */
public final class TestModels {

    public static final SmallCnn TINY = new SmallCnn(32, new int[] {8, 16}, 16, 0.2f);
    public static final List<String> CLASSES = List.of("covid", "non-covid");

    private TestModels() {
    }

    /** Trains the tiny network on a synthetic dataset (disks are covid, rings non-covid) and exports it. */
    public static ModelManifest trained(Path work, String name, String version) {
        return trained(work, name, version, TINY, 10);
    }

    /** Trains {@code arch} for {@code epochs} on a synthetic dataset and exports it, as a training run does. */
    public static ModelManifest trained(Path work, String name, String version, Architecture arch, int epochs) {
        Path data = work.resolve("data-" + version);
        SyntheticImages.splitFolders(data, CLASSES, List.of("train", "val", "test"), 16, 40, 31);
        TrainingOptions options = new TrainingOptions(epochs, 16, 3e-3, 1e-4, 10, 5, Augmenter.none(), true, 2);
        return TrainingRun.run(new TrainingRun.Request(data, ImportOptions.defaults(), d -> arch, options, 0.95, name, version,
                work.resolve(name + "-" + version), 1, false), TrainingProgress.NONE, line -> { }).manifest();
    }

    /** Exports the tiny network with seeded random weights: a real, distinct model in a fraction of a second. */
    public static ModelManifest random(Path work, String name, String version, long seed) {
        return random(work, TINY, name, version, seed);
    }

    /** Exports {@code arch} with seeded random weights into {@code work/<name>-<version>}. */
    public static ModelManifest random(Path work, SmallCnn arch, String name, String version, long seed) {
        TensorFlowRuntime.configure();
        Weights weights;
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Ops tf = Ops.create(graph);
            var in = arch.input();
            Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, in.height(), in.width(), in.channels())));
            TrainingParams params = new TrainingParams(tf, new Random(seed), new Weights(), n -> true);
            arch.logits(tf, params, x, CLASSES.size(), seed);
            session.initialize();
            weights = params.snapshot(session);
        }
        Path dir = work.resolve(name + "-" + version);
        ModelExporter.exportSavedModel(arch, weights, CLASSES.size(), dir);
        return ModelExporter.finish(dir, ModelExporter.manifest(arch, name, version, CLASSES, "covid", 0.5, Map.of(), null));
    }

    public static Path dir(Path work, ModelManifest manifest) {
        return work.resolve(manifest.name() + "-" + manifest.version());
    }
}
