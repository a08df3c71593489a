package io.lungflow.training.weights;

import com.fasterxml.jackson.core.type.TypeReference;
import io.lungflow.modelkit.ArtifactException;
import io.lungflow.modelkit.ModelArtifact;
import io.lungflow.schemas.EventJson;
import io.lungflow.schemas.ModelManifest;
import io.lungflow.training.ModelExporter;
import io.lungflow.training.TensorFlowRuntime;
import io.lungflow.training.arch.Architecture;
import io.lungflow.training.graph.ParameterShapes;
import io.lungflow.training.graph.TrainingParams;
import io.lungflow.training.graph.Weights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Arrays;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * The trained weights of a model version lungflow exported (its SavedModel's variables), read back
 * so that another run starts from them ({@code --init-from}): every parameter of the same
 * architecture. The head is kept when the class count is the same and made fresh when it is not.
 * Of an ensemble, the first member's weights are used.
 */
public final class SavedModelWeights {

    private SavedModelWeights() {
    }

    public static Weights read(Path dir, Architecture arch, int classes) {
        ModelManifest manifest;
        try {
            manifest = ModelArtifact.readManifest(dir);
            ModelArtifact.verify(dir, manifest);
        } catch (ArtifactException e) {
            throw new IllegalArgumentException("Cannot start from " + dir + ": " + e.getMessage(), e);
        }
        if (!manifest.architecture().equals(arch.name())) {
            throw new IllegalArgumentException("Cannot start a " + arch.name() + " from " + dir + ", a " + manifest.architecture()
                    + " (give --arch " + manifest.architecture() + ")");
        }
        if (manifest.input().height() != arch.input().height() || manifest.input().width() != arch.input().width()) {
            throw new IllegalArgumentException("Cannot start from " + dir + ": its input is " + manifest.input().height() + " px, this run's "
                    + arch.input().height() + " px (give --input-size " + manifest.input().height() + ")");
        }
        TensorFlowRuntime.configure();
        Map<String, long[]> shapes = parameters(dir, arch, manifest.classes().size());
        Weights out = new Weights();
        try (SavedModelBundle bundle = SavedModelBundle.load(dir.toString(), "serve")) {
            for (Map.Entry<String, long[]> p : shapes.entrySet()) {
                if (p.getKey().startsWith(arch.headPrefix()) && manifest.classes().size() != classes) {
                    continue;
                }
                String op = opName(bundle, p.getKey());
                try (Result result = bundle.session().runner().fetch(op).run()) {
                    TFloat32 t = (TFloat32) result.get(0);
                    if (!Arrays.equals(t.shape().asArray(), p.getValue())) {
                        throw new IllegalArgumentException("Layer " + p.getKey() + " of " + dir + " has shape " + t.shape() + ", the network needs "
                                + Arrays.toString(p.getValue()));
                    }
                    float[] values = new float[(int) t.shape().size()];
                    t.copyTo(DataBuffers.of(values, false, false));
                    out.put(p.getKey(), new Weights.Tensor(p.getValue(), values));
                }
            }
        }
        return out;
    }

    /**
     * The parameters the export listed (the first member's, of an ensemble); for a version exported
     * before that list existed, those the architecture asks for as built without pretrained weights.
     */
    private static Map<String, long[]> parameters(Path dir, Architecture arch, int classes) {
        Path list = dir.resolve(ModelExporter.PARAMETERS);
        if (!Files.isRegularFile(list)) {
            return ParameterShapes.of(arch, classes);
        }
        try {
            Map<String, long[]> listed = EventJson.mapper().readValue(list.toFile(), new TypeReference<LinkedHashMap<String, long[]>>() { });
            Map<String, long[]> out = new LinkedHashMap<>();
            boolean ensemble = listed.keySet().stream().anyMatch(n -> n.startsWith("m0/"));
            listed.forEach((name, shape) -> {
                if (!ensemble) {
                    out.put(name, shape);
                } else if (name.startsWith("m0/")) {
                    out.put(name.substring(3), shape);
                }
            });
            return out;
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read " + list + ": " + e.getMessage(), e);
        }
    }

    /** The variable's operation: the parameter's name made an op name, or the first ensemble member's. */
    private static String opName(SavedModelBundle bundle, String parameter) {
        String op = TrainingParams.opName(parameter);
        if (bundle.graph().operation(op) != null) {
            return op;
        }
        String member = "m0_" + op;
        if (bundle.graph().operation(member) != null) {
            return member;
        }
        throw new IllegalArgumentException("The model has no variable for " + parameter);
    }
}
