package io.lungflow.training.weights;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import io.lungflow.training.arch.Architecture;
import io.lungflow.training.graph.ParameterShapes;
import io.lungflow.training.graph.Weights;
import io.lungflow.training.weights.onnx.Onnx;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Weight files as other tools write them, made by tests: random values under an architecture's real names and shapes. */
final class WeightFiles {

    private WeightFiles() {
    }

    /** Seeded random values for every parameter of {@code arch}'s body (not its head). */
    static Weights randomBody(Architecture arch, long seed) {
        Random random = new Random(seed);
        Weights w = new Weights();
        ParameterShapes.of(arch, 2).forEach((name, shape) -> {
            if (name.startsWith("head/")) {
                return;
            }
            int n = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
            float[] values = new float[n];
            boolean positive = name.endsWith("moving_variance") || name.endsWith("gamma");
            for (int i = 0; i < n; i++) {
                values[i] = positive ? 0.5f + random.nextFloat() : (float) (random.nextGaussian() * 0.1);
            }
            w.put(name, new Weights.Tensor(shape, values));
        });
        return w;
    }

    /** A TensorFlow.js layers model: model.json and one weight file per tensor group, as tfjs-converter writes them. */
    static Path tfjs(Path dir, Weights weights, int tensorsPerGroup) throws IOException {
        Files.createDirectories(dir);
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.putObject("modelTopology").put("keras_version", "2.1.4");
        ArrayNode manifest = root.putArray("weightsManifest");
        List<Map.Entry<String, Weights.Tensor>> all = List.copyOf(weights.all().entrySet());
        for (int from = 0, group = 1; from < all.size(); from += tensorsPerGroup, group++) {
            List<Map.Entry<String, Weights.Tensor>> part = all.subList(from, Math.min(all.size(), from + tensorsPerGroup));
            int bytes = part.stream().mapToInt(e -> e.getValue().values().length * 4).sum();
            ByteBuffer buffer = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
            ObjectNode entry = manifest.addObject();
            String file = "group" + group + "-shard1of1";
            entry.putArray("paths").add(file);
            ArrayNode specs = entry.putArray("weights");
            for (Map.Entry<String, Weights.Tensor> e : part) {
                ObjectNode spec = specs.addObject().put("name", e.getKey()).put("dtype", "float32");
                ArrayNode shape = spec.putArray("shape");
                Arrays.stream(e.getValue().shape()).forEach(shape::add);
                for (float v : e.getValue().values()) {
                    buffer.putFloat(v);
                }
            }
            Files.write(dir.resolve(file), buffer.array());
        }
        json.writeValue(dir.resolve("model.json").toFile(), root);
        return dir.resolve("model.json");
    }

    /** A Keras HDF5 weight file: each weight at {@code <layer>/<layer>/<weight>:0}. */
    static Path kerasH5(Path file, Weights weights) {
        Map<String, WritableGroup> layers = new LinkedHashMap<>();
        try (WritableHdfFile h5 = HdfFile.write(file)) {
            weights.all().forEach((name, tensor) -> {
                String layer = name.substring(0, name.lastIndexOf('/'));
                String weight = name.substring(name.lastIndexOf('/') + 1);
                WritableGroup group = layers.computeIfAbsent(layer, l -> h5.putGroup(l).putGroup(l));
                group.putDataset(weight + ":0", nested(tensor));
            });
        }
        return file;
    }

    /** A multi-dimensional float array of the tensor's shape, as jhdf writes datasets. */
    static Object nested(Weights.Tensor t) {
        int[] dims = Arrays.stream(t.shape()).mapToInt(d -> (int) d).toArray();
        Object array = java.lang.reflect.Array.newInstance(float.class, dims);
        fill(array, t.values(), new int[] {0});
        return array;
    }

    private static void fill(Object array, float[] values, int[] position) {
        if (array instanceof float[] floats) {
            System.arraycopy(values, position[0], floats, 0, floats.length);
            position[0] += floats.length;
            return;
        }
        for (int i = 0; i < java.lang.reflect.Array.getLength(array); i++) {
            fill(java.lang.reflect.Array.get(array, i), values, position);
        }
    }

    static Onnx.TensorProto floats(String name, long[] dims, float[] values) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            raw.putFloat(v);
        }
        return Onnx.TensorProto.newBuilder().setName(name).addAllDims(Arrays.stream(dims).boxed().toList())
                .setDataType(Onnx.TensorProto.DataType.FLOAT_VALUE).setRawData(ByteString.copyFrom(raw.array())).build();
    }

    /** Scales as float_data (the typed field), not raw bytes. */
    static Onnx.TensorProto typedFloats(String name, long[] dims, float[] values) {
        Onnx.TensorProto.Builder b = Onnx.TensorProto.newBuilder().setName(name).addAllDims(Arrays.stream(dims).boxed().toList())
                .setDataType(Onnx.TensorProto.DataType.FLOAT_VALUE);
        for (float v : values) {
            b.addFloatData(v);
        }
        return b.build();
    }

    static Onnx.TensorProto int8(String name, long[] dims, byte[] values) {
        return Onnx.TensorProto.newBuilder().setName(name).addAllDims(Arrays.stream(dims).boxed().toList())
                .setDataType(Onnx.TensorProto.DataType.INT8_VALUE).setRawData(ByteString.copyFrom(values)).build();
    }

    /** 8- and 32-bit integers in int32_data, as ONNX keeps zero points. */
    static Onnx.TensorProto ints(String name, long[] dims, int type, int[] values) {
        Onnx.TensorProto.Builder b = Onnx.TensorProto.newBuilder().setName(name).addAllDims(Arrays.stream(dims).boxed().toList())
                .setDataType(type);
        for (int v : values) {
            b.addInt32Data(v);
        }
        return b.build();
    }

    static Onnx.NodeProto node(String name, String op, List<String> inputs, long group, long stride) {
        return Onnx.NodeProto.newBuilder().setName(name).setOpType(op).addAllInput(inputs).addOutput(name + "_out")
                .addAttribute(Onnx.AttributeProto.newBuilder().setName("group").setI(group))
                .addAttribute(Onnx.AttributeProto.newBuilder().setName("strides").addInts(stride).addInts(stride)).build();
    }
}
