package io.lungflow.training;

import io.lungflow.modelkit.ModelArtifact;
import io.lungflow.schemas.ModelManifest;
import io.lungflow.training.arch.Architecture;
import io.lungflow.training.graph.FixedParams;
import io.lungflow.training.graph.Params;
import io.lungflow.training.graph.PrefixedParams;
import io.lungflow.training.graph.Weights;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Writes a trained network as a model version: a SavedModel with one serving signature (input
 * {@code image} [batch, height, width, channels], output {@code probabilities} [batch, classes])
 * and no optimiser state, then its manifest. The serving graph is built by the same architecture
 * code as the training graph, in serving mode. It may average several trained members (an
 * ensemble of seeds) and each image with its mirror image (test-time flip): the averaging is in
 * the graph, so what is served is what was evaluated.
 */
public final class ModelExporter {

    public static final String SIGNATURE = Signature.DEFAULT_KEY;
    public static final String INPUT = "image";
    public static final String OUTPUT = "probabilities";
    /** The TensorFlow runtime training and serving share. */
    public static final String TENSORFLOW_VERSION = "2.16.1";

    private ModelExporter() {
    }

    /** Writes one network, without averaging, into {@code dir}, which must not exist yet or be empty. */
    public static void exportSavedModel(Architecture arch, Weights weights, int classes, Path dir) {
        exportSavedModel(arch, List.of(weights), false, classes, dir);
    }

    /**
     * Writes the mean of the members' probabilities (and, with {@code flip}, of their probabilities
     * for the mirrored image) into {@code dir}, which must not exist yet or be empty.
     */
    public static void exportSavedModel(Architecture arch, List<Weights> members, boolean flip, int classes, Path dir) {
        exportSavedModel(arch, members, flip, Recalibration.identity(classes), dir);
    }

    /**
     * As above, with the averaged probabilities then recalibrated in the graph, so that what is
     * served is what the recalibration was fitted for and evaluated as.
     */
    public static void exportSavedModel(Architecture arch, List<Weights> members, boolean flip, Recalibration recalibration,
            Path dir) {
        int classes = recalibration.bias().length;
        TensorFlowRuntime.configure();
        try {
            if (Files.exists(dir) && Files.list(dir).findAny().isPresent()) {
                throw new IllegalArgumentException("Refusing to export into " + dir + ", which is not empty");
            }
            Files.createDirectories(dir.getParent() == null ? dir.toAbsolutePath().getParent() : dir.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Ops tf = Ops.create(graph);
            ModelManifest.Input in = arch.input();
            Placeholder<TFloat32> images = tf.withName(INPUT).placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, in.height(), in.width(), in.channels())));
            Weights all = new Weights();
            for (int m = 0; m < members.size(); m++) {
                PrefixedParams.addPrefixed(all, members.get(m), memberPrefix(members.size(), m));
            }
            FixedParams params = new FixedParams(tf, all);
            List<Operand<TFloat32>> parts = new ArrayList<>();
            for (int m = 0; m < members.size(); m++) {
                Params member = new PrefixedParams(params, memberPrefix(members.size(), m));
                parts.add(tf.nn.softmax(arch.logits(tf, member, images, classes, 0)));
                if (flip) {
                    Operand<TFloat32> mirrored = tf.reverse(images, tf.constant(new int[] {2}));
                    parts.add(tf.nn.softmax(arch.logits(tf, member, mirrored, classes, 0)));
                }
            }
            Operand<TFloat32> averaged = parts.size() == 1 ? parts.get(0) : tf.math.mean(tf.stack(parts), tf.constant(0));
            Operand<TFloat32> probabilities = tf.withName(OUTPUT).identity(
                    recalibration.isIdentity() ? averaged : recalibration.apply(tf, averaged));
            params.fill(session);
            writeParameters(dir, all);
            SavedModelBundle.exporter(dir.toString())
                    .withSession(session)
                    .withSignature(Signature.builder().key(SIGNATURE).input(INPUT, images).output(OUTPUT, probabilities).build())
                    .export();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the SavedModel to " + dir, e);
        }
    }

    /** What {@link #PARAMETERS} lists: each parameter's name (as the architecture names it) and shape, so another run can start from them. */
    public static final String PARAMETERS = "parameters.json";

    private static void writeParameters(Path dir, Weights all) throws IOException {
        Map<String, long[]> shapes = new java.util.LinkedHashMap<>();
        all.all().forEach((name, tensor) -> shapes.put(name, tensor.shape()));
        Files.createDirectories(dir);
        io.lungflow.schemas.EventJson.mapper().writerWithDefaultPrettyPrinter().writeValue(dir.resolve(PARAMETERS).toFile(), shapes);
    }

    /** One member's parameters keep their names; several are told apart as m0/, m1/, …. */
    static String memberPrefix(int members, int m) {
        return members == 1 ? "" : "m" + m + "/";
    }

    /** The manifest of a model exported from {@code arch}, before its files and metrics are known. */
    public static ModelManifest manifest(Architecture arch, String name, String version, List<String> classes, String positiveClass,
            double threshold, Map<String, Object> offlineMetrics, ModelManifest.DatasetSummary dataset) {
        return new ModelManifest(ModelManifest.FORMAT, name, version, Instant.now().truncatedTo(ChronoUnit.SECONDS), arch.name(),
                new ModelManifest.Framework("tensorflow", TENSORFLOW_VERSION), classes, positiveClass, arch.input(),
                arch.preprocessing(), new ModelManifest.Signature(SIGNATURE, INPUT, OUTPUT), threshold, offlineMetrics, dataset,
                List.of());
    }

    /** Writes the manifest beside the SavedModel, listing and checksumming every file. */
    public static ModelManifest finish(Path dir, ModelManifest manifest) {
        return ModelArtifact.writeManifest(dir, manifest);
    }
}
