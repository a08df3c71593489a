package io.lungflow.training.arch;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.lungflow.training.graph.Weights;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads SqueezeNet 1.1 ImageNet weights in the Keras 2 HDF5 layout (one group per layer; in each,
 * a 4-D kernel [kh, kw, in, out] and a 1-D bias) into the parameter names of {@link SqueezeNet}.
 */
public final class SqueezeNetWeights {

    private SqueezeNetWeights() {
    }

    public static Weights load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("SqueezeNet weights not found at " + file
                    + " (give --weights, or train --arch cnn, which needs none)");
        }
        Weights weights = new Weights();
        try (HdfFile h5 = new HdfFile(file)) {
            read(h5, "conv1", "conv1", weights);
            for (SqueezeNet.Fire fire : SqueezeNet.FIRES) {
                for (String part : List.of("squeeze1x1", "expand1x1", "expand3x3")) {
                    read(h5, fire.name() + "/" + part, fire.name() + "/" + part, weights);
                }
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Cannot read SqueezeNet weights from " + file + ": " + e.getMessage(), e);
        }
        return weights;
    }

    private static void read(HdfFile h5, String groupPath, String name, Weights weights) {
        Node node = h5.getByPath(groupPath);
        if (!(node instanceof Group group)) {
            throw new IllegalArgumentException("no layer group " + groupPath);
        }
        List<Dataset> datasets = new ArrayList<>();
        collect(group, datasets);
        Dataset kernel = datasets.stream().filter(d -> d.getDimensions().length == 4).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no kernel in " + groupPath));
        Dataset bias = datasets.stream().filter(d -> d.getDimensions().length == 1).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no bias in " + groupPath));
        weights.put(name + "/kernel", tensor(kernel));
        weights.put(name + "/bias", tensor(bias));
    }

    private static void collect(Group group, List<Dataset> out) {
        for (Node child : group) {
            if (child instanceof Dataset d) {
                out.add(d);
            } else if (child instanceof Group g) {
                collect(g, out);
            }
        }
    }

    private static Weights.Tensor tensor(Dataset dataset) {
        int[] dims = dataset.getDimensions();
        long[] shape = new long[dims.length];
        int size = 1;
        for (int i = 0; i < dims.length; i++) {
            shape[i] = dims[i];
            size *= dims[i];
        }
        float[] values = new float[size];
        flatten(dataset.getData(), values, new int[] {0});
        return new Weights.Tensor(shape, values);
    }

    private static void flatten(Object array, float[] out, int[] position) {
        if (array instanceof float[] floats) {
            System.arraycopy(floats, 0, out, position[0], floats.length);
            position[0] += floats.length;
            return;
        }
        for (int i = 0; i < Array.getLength(array); i++) {
            flatten(Array.get(array, i), out, position);
        }
    }
}
