package io.lungflow.training.weights;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.lungflow.training.graph.Weights;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a Keras HDF5 weight file (what {@code save_weights} and Keras applications'
 * {@code *_notop.h5} files hold; a whole-model file's {@code model_weights} group too) into
 * parameters named as Keras names them: {@code <layer>/<weight>}, e.g. {@code conv1/kernel},
 * {@code conv1_bn/moving_mean}, {@code conv_dw_1/depthwise_kernel} (see {@link #place}). Datasets
 * whose names say no role (SqueezeNet's port: {@code uniformN}) are read by rank: a layer's 4-D or
 * 2-D dataset is its kernel, its 1-D one its bias.
 */
public final class KerasWeights {

    /** The weight names Keras gives the layers lungflow's networks use. */
    static final Set<String> KERAS_NAMES = Set.of("kernel", "bias", "gamma", "beta", "moving_mean", "moving_variance",
            "depthwise_kernel", "pointwise_kernel");

    private KerasWeights() {
    }

    public static Weights load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("No Keras weight file at " + file);
        }
        Weights weights = new Weights();
        try (HdfFile h5 = new HdfFile(file)) {
            Group root = h5.getChildren().get("model_weights") instanceof Group g ? g : h5;
            Map<String, List<Named>> byLayer = new LinkedHashMap<>();
            collect(root, new ArrayList<>(), byLayer);
            byLayer.forEach((layer, datasets) -> readLayer(layer, datasets, weights));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Cannot read Keras weights from " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Cannot read " + file + " as a Keras HDF5 weight file: " + e.getMessage(), e);
        }
        if (weights.all().isEmpty()) {
            throw new IllegalArgumentException(file + " holds no layer weights");
        }
        return weights;
    }

    /** A dataset and the Keras weight name it carries, null where its name says none. */
    private record Named(Dataset dataset, String weight) {
    }

    /** Every dataset below {@code group}, by the layer it belongs to. */
    private static void collect(Group group, List<String> path, Map<String, List<Named>> byLayer) {
        for (Node child : group) {
            List<String> deeper = new ArrayList<>(path);
            deeper.add(child.getName());
            if (child instanceof Group g) {
                collect(g, deeper, byLayer);
            } else if (child instanceof Dataset d) {
                String[] place = place(deeper);
                byLayer.computeIfAbsent(place[0], k -> new ArrayList<>()).add(new Named(d, place[1]));
            }
        }
    }

    /**
     * The layer and weight a dataset's path names. Keras stores weight {@code w} of layer {@code L}
     * at {@code L/<weight name>}, the weight name being {@code L/w:0} (so {@code conv1/conv1/kernel:0})
     * or, in older files, {@code L_b} for a bias ({@code fire2/expand1x1/fire2/expand1x1_b}) or another
     * name ({@code uniform3}); a nested model's weights sit one level deeper.
     */
    static String[] place(List<String> segments) {
        for (int k = 1; k < segments.size(); k++) {
            String layer = String.join("/", segments.subList(0, k));
            String rest = String.join("/", segments.subList(k, segments.size())).replaceFirst(":\\d+$", "");
            if (rest.startsWith(layer + "/") && KERAS_NAMES.contains(rest.substring(layer.length() + 1))) {
                return new String[] {layer, rest.substring(layer.length() + 1)};
            }
            if (rest.equals(layer + "_b")) {
                return new String[] {layer, "bias"};
            }
            if (rest.equals(layer + "_W")) {
                return new String[] {layer, "kernel"};
            }
        }
        String layer = String.join("/", segments.subList(0, segments.size() - 1));
        String last = segments.get(segments.size() - 1).replaceFirst(":\\d+$", "");
        return new String[] {layer, KERAS_NAMES.contains(last) ? last : null};
    }

    private static void readLayer(String layer, List<Named> datasets, Weights into) {
        List<Dataset> unnamed = new ArrayList<>();
        for (Named d : datasets) {
            if (d.weight() != null) {
                into.put(layer + "/" + d.weight(), tensor(d.dataset()));
            } else {
                unnamed.add(d.dataset());
            }
        }
        if (unnamed.isEmpty()) {
            return;
        }
        List<Dataset> kernels = unnamed.stream().filter(d -> d.getDimensions().length >= 2).toList();
        List<Dataset> biases = unnamed.stream().filter(d -> d.getDimensions().length == 1).toList();
        if (kernels.size() > 1 || biases.size() > 1 || kernels.size() + biases.size() != unnamed.size()
                || (!kernels.isEmpty() && into.contains(layer + "/kernel")) || (!biases.isEmpty() && into.contains(layer + "/bias"))) {
            throw new IllegalArgumentException("layer " + layer + " holds datasets " + unnamed.stream().map(Node::getName).toList()
                    + " whose roles cannot be told apart; name them kernel and bias");
        }
        kernels.forEach(k -> into.put(layer + "/kernel", tensor(k)));
        biases.forEach(b -> into.put(layer + "/bias", tensor(b)));
    }

    static Weights.Tensor tensor(Dataset dataset) {
        int[] dims = dataset.getDimensions();
        long[] shape = new long[dims.length];
        long size = 1;
        for (int i = 0; i < dims.length; i++) {
            shape[i] = dims[i];
            size *= dims[i];
        }
        if (size > Integer.MAX_VALUE / 4) {
            throw new IllegalArgumentException("dataset " + dataset.getPath() + " is too large");
        }
        float[] values = new float[(int) size];
        flatten(dataset.getData(), values, new int[] {0}, dataset.getPath());
        return new Weights.Tensor(shape, values);
    }

    private static void flatten(Object array, float[] out, int[] position, String path) {
        if (array instanceof float[] floats) {
            System.arraycopy(floats, 0, out, position[0], floats.length);
            position[0] += floats.length;
        } else if (array instanceof double[] doubles) {
            for (double d : doubles) {
                out[position[0]++] = (float) d;
            }
        } else if (array instanceof Float f) {
            out[position[0]++] = f;
        } else if (array instanceof Double d) {
            out[position[0]++] = d.floatValue();
        } else if (array != null && array.getClass().isArray() && !array.getClass().getComponentType().isPrimitive()) {
            for (int i = 0; i < Array.getLength(array); i++) {
                flatten(Array.get(array, i), out, position, path);
            }
        } else {
            throw new IllegalArgumentException("dataset " + path + " does not hold floating-point values");
        }
    }
}
