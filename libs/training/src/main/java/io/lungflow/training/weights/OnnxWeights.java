package io.lungflow.training.weights;

import com.google.protobuf.ByteString;
import io.lungflow.training.graph.Weights;
import io.lungflow.training.weights.onnx.Onnx;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The weights of an ONNX model: its initializers as float tensors, 8-bit quantized ones
 * dequantized as {@code (q − zero point) × scale}, per tensor or per channel, with the scale and
 * zero point the graph's nodes pair them with ({@code DequantizeLinear}; {@code QLinearConv}'s
 * weights per output channel, and its 32-bit bias at the input scale times the weight scale;
 * {@code QLinearMatMul}'s second operand per column). Parsed with classes protoc generates from
 * {@code src/main/proto/onnx.proto}. ONNX initializers carry no layer names, so
 * {@link #convolutions()} lists the convolutions in graph order for a network to map onto its
 * layers.
 */
public final class OnnxWeights {

    /**
     * One convolution node.
     *
     * @param kernel as ONNX stores it: [out, in / group, kh, kw]
     * @param bias [out], or null without one
     * @param pads top, left, bottom, right
     */
    public record Convolution(String node, Weights.Tensor kernel, Weights.Tensor bias, long group, long[] strides, long[] pads) {
    }

    private final Path file;
    private final Onnx.GraphProto graph;
    private final Map<String, Onnx.TensorProto> initializers = new LinkedHashMap<>();
    private final Map<String, Weights.Tensor> floats = new LinkedHashMap<>();

    private OnnxWeights(Path file, Onnx.GraphProto graph) {
        this.file = file;
        this.graph = graph;
        graph.getInitializerList().forEach(t -> initializers.put(t.getName(), t));
        dequantize();
    }

    public static OnnxWeights load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("No ONNX model at " + file);
        }
        Onnx.ModelProto model;
        try (InputStream in = Files.newInputStream(file)) {
            model = Onnx.ModelProto.parseFrom(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read " + file + " as an ONNX model: " + e.getMessage(), e);
        }
        if (!model.hasGraph() || model.getGraph().getInitializerCount() == 0) {
            throw new IllegalArgumentException(file + " is not an ONNX model with weights (no graph initializers)");
        }
        return new OnnxWeights(file, model.getGraph());
    }

    /** Every initializer with floating-point meaning, by name: float ones as stored, quantized ones dequantized. */
    public Weights all() {
        Weights out = new Weights();
        floats.forEach(out::put);
        return out;
    }

    /** The convolutions ({@code Conv}, {@code QLinearConv}) in the order the graph lists them. */
    public List<Convolution> convolutions() {
        List<Convolution> out = new ArrayList<>();
        for (Onnx.NodeProto node : graph.getNodeList()) {
            int w;
            int b;
            switch (node.getOpType()) {
                case "Conv" -> {
                    w = 1;
                    b = 2;
                }
                case "QLinearConv" -> {
                    w = 3;
                    b = 8;
                }
                default -> {
                    continue;
                }
            }
            Weights.Tensor kernel = floatInput(node, w, "weight");
            Weights.Tensor bias = node.getInputCount() > b && !node.getInput(b).isEmpty() ? floatInput(node, b, "bias") : null;
            out.add(new Convolution(node.getName(), kernel, bias, intAttribute(node, "group", 1), ints(node, "strides", 1, 1),
                    ints(node, "pads", 0, 0, 0, 0)));
        }
        return out;
    }

    private Weights.Tensor floatInput(Onnx.NodeProto node, int index, String role) {
        Weights.Tensor t = floats.get(node.getInput(index));
        if (t == null) {
            throw new IllegalArgumentException(file + ": the " + role + " of node " + node.getName() + " (" + node.getInput(index)
                    + ") is not an initializer");
        }
        return t;
    }

    private void dequantize() {
        initializers.forEach((name, t) -> {
            if (t.getDataType() == Onnx.TensorProto.DataType.FLOAT_VALUE || t.getDataType() == Onnx.TensorProto.DataType.DOUBLE_VALUE) {
                floats.put(name, new Weights.Tensor(dims(t), toFloat(values(t))));
            }
        });
        for (Onnx.NodeProto node : graph.getNodeList()) {
            switch (node.getOpType()) {
                case "DequantizeLinear" -> quantized(node, 0, 1, 2, (int) intAttribute(node, "axis", 1));
                case "QLinearConv" -> {
                    quantized(node, 3, 4, 5, 0);
                    if (node.getInputCount() > 8 && initializers.containsKey(node.getInput(8))) {
                        convBias(node);
                    }
                }
                case "QLinearMatMul" -> quantized(node, 3, 4, 5, 1);
                default -> {
                }
            }
        }
    }

    /** Dequantizes the initializer at {@code q} with the scale and zero point at the given inputs, along {@code axis} when per channel. */
    private void quantized(Onnx.NodeProto node, int q, int scale, int zeroPoint, int axis) {
        Onnx.TensorProto values = initializers.get(input(node, q));
        Onnx.TensorProto scales = initializers.get(input(node, scale));
        if (values == null || scales == null || floats.containsKey(values.getName())) {
            return; // an activation, not a weight, or done already
        }
        Onnx.TensorProto zeros = initializers.get(input(node, zeroPoint));
        floats.put(values.getName(), dequantize(values.getName(), dims(values), values(values), values(scales),
                zeros == null ? new double[] {0} : values(zeros), axis));
    }

    /** QLinearConv's int32 bias: its scale is the input's scale times the weight's (per output channel), its zero point 0. */
    private void convBias(Onnx.NodeProto node) {
        Onnx.TensorProto bias = initializers.get(node.getInput(8));
        Onnx.TensorProto inputScale = initializers.get(input(node, 1));
        Onnx.TensorProto weightScale = initializers.get(input(node, 4));
        if (inputScale == null || weightScale == null) {
            throw new IllegalArgumentException(file + ": node " + node.getName() + " has a quantized bias but its input or weight scale "
                    + "is not an initializer");
        }
        double x = values(inputScale)[0];
        double[] w = values(weightScale);
        double[] scale = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            scale[i] = x * w[i];
        }
        floats.put(bias.getName(), dequantize(bias.getName(), dims(bias), values(bias), scale, new double[] {0}, 0));
    }

    static Weights.Tensor dequantize(String name, long[] shape, double[] q, double[] scale, double[] zeroPoint, int axis) {
        boolean perChannel = scale.length > 1;
        if (perChannel) {
            int a = axis < 0 ? axis + shape.length : axis;
            if (a < 0 || a >= shape.length || shape[a] != scale.length || (zeroPoint.length != 1 && zeroPoint.length != scale.length)) {
                throw new IllegalArgumentException("Quantized tensor " + name + " " + Arrays.toString(shape) + " has " + scale.length
                        + " scales and " + zeroPoint.length + " zero points for axis " + axis);
            }
            long inner = 1;
            for (int d = a + 1; d < shape.length; d++) {
                inner *= shape[d];
            }
            float[] out = new float[q.length];
            for (int i = 0; i < q.length; i++) {
                int c = (int) ((i / inner) % scale.length);
                out[i] = (float) ((q[i] - zeroPoint[zeroPoint.length == 1 ? 0 : c]) * scale[c]);
            }
            return new Weights.Tensor(shape, out);
        }
        if (zeroPoint.length != 1 || scale.length != 1) {
            throw new IllegalArgumentException("Quantized tensor " + name + " has " + scale.length + " scales and " + zeroPoint.length
                    + " zero points");
        }
        float[] out = new float[q.length];
        for (int i = 0; i < q.length; i++) {
            out[i] = (float) ((q[i] - zeroPoint[0]) * scale[0]);
        }
        return new Weights.Tensor(shape, out);
    }

    private static String input(Onnx.NodeProto node, int i) {
        return i < node.getInputCount() ? node.getInput(i) : "";
    }

    static long[] dims(Onnx.TensorProto t) {
        return t.getDimsList().stream().mapToLong(Long::longValue).toArray();
    }

    /** A tensor's values, from its typed field or its little-endian raw bytes. */
    static double[] values(Onnx.TensorProto t) {
        long count = 1;
        for (long d : dims(t)) {
            count *= d;
        }
        if (t.getDataLocation() == 1) {
            throw new IllegalArgumentException("Tensor " + t.getName() + " keeps its values in an external file, which is not supported");
        }
        if (count > Integer.MAX_VALUE / 8) {
            throw new IllegalArgumentException("Tensor " + t.getName() + " is too large");
        }
        int n = (int) count;
        double[] out = new double[n];
        int type = t.getDataType();
        if (t.hasRawData()) {
            ByteString raw = t.getRawData();
            int size = switch (type) {
                case Onnx.TensorProto.DataType.FLOAT_VALUE, Onnx.TensorProto.DataType.INT32_VALUE -> 4;
                case Onnx.TensorProto.DataType.DOUBLE_VALUE, Onnx.TensorProto.DataType.INT64_VALUE -> 8;
                case Onnx.TensorProto.DataType.UINT8_VALUE, Onnx.TensorProto.DataType.INT8_VALUE -> 1;
                default -> throw unsupported(t);
            };
            if (raw.size() != (long) n * size) {
                throw new IllegalArgumentException("Tensor " + t.getName() + " " + Arrays.toString(dims(t)) + " needs " + (long) n * size
                        + " bytes; it holds " + raw.size());
            }
            ByteBuffer b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                out[i] = switch (type) {
                    case Onnx.TensorProto.DataType.FLOAT_VALUE -> b.getFloat();
                    case Onnx.TensorProto.DataType.INT32_VALUE -> b.getInt();
                    case Onnx.TensorProto.DataType.DOUBLE_VALUE -> b.getDouble();
                    case Onnx.TensorProto.DataType.INT64_VALUE -> b.getLong();
                    case Onnx.TensorProto.DataType.UINT8_VALUE -> Byte.toUnsignedInt(b.get());
                    default -> b.get();
                };
            }
            return out;
        }
        List<? extends Number> typed = switch (type) {
            case Onnx.TensorProto.DataType.FLOAT_VALUE -> t.getFloatDataList();
            case Onnx.TensorProto.DataType.DOUBLE_VALUE -> t.getDoubleDataList();
            case Onnx.TensorProto.DataType.INT64_VALUE -> t.getInt64DataList();
            // ONNX keeps 8-, 16- and 32-bit integers in int32_data.
            case Onnx.TensorProto.DataType.INT32_VALUE, Onnx.TensorProto.DataType.UINT8_VALUE, Onnx.TensorProto.DataType.INT8_VALUE ->
                    t.getInt32DataList();
            default -> throw unsupported(t);
        };
        if (typed.size() != n) {
            throw new IllegalArgumentException("Tensor " + t.getName() + " " + Arrays.toString(dims(t)) + " needs " + n + " values; it holds "
                    + typed.size());
        }
        for (int i = 0; i < n; i++) {
            out[i] = typed.get(i).doubleValue();
        }
        return out;
    }

    private static IllegalArgumentException unsupported(Onnx.TensorProto t) {
        return new IllegalArgumentException("Tensor " + t.getName() + " has ONNX data type " + t.getDataType() + ", which is not supported");
    }

    private static float[] toFloat(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    private static long intAttribute(Onnx.NodeProto node, String name, long otherwise) {
        return node.getAttributeList().stream().filter(a -> a.getName().equals(name)).findFirst().map(Onnx.AttributeProto::getI)
                .orElse(otherwise);
    }

    private static long[] ints(Onnx.NodeProto node, String name, long... otherwise) {
        return node.getAttributeList().stream().filter(a -> a.getName().equals(name)).findFirst()
                .map(a -> a.getIntsList().stream().mapToLong(Long::longValue).toArray()).orElse(otherwise);
    }
}
