package io.lungflow.training.weights;

import io.lungflow.training.arch.Architecture;
import io.lungflow.training.graph.ParameterShapes;
import io.lungflow.training.graph.Weights;
import io.lungflow.training.weights.onnx.Onnx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * An ONNX MobileNetV2 as onnxruntime's quantizer leaves one: batch normalisation folded, the first
 * convolution a float {@code Conv}, every other a {@code QLinearConv} with int8 weights quantized
 * per output channel, a uint8 zero point for the activations and an int32 bias; with the Keras-
 * named float weights the test expects to read from it.
 */
record OnnxMobileNetV2(Path file, Weights expected) {

    /** @param misshaped a layer whose kernel gets one output channel too many, or null */
    static OnnxMobileNetV2 write(Path file, Architecture randomInit, long seed, String misshaped) throws IOException {
        Random random = new Random(seed);
        Onnx.GraphProto.Builder graph = Onnx.GraphProto.newBuilder().setName("mobilenetv2");
        Weights expected = new Weights();
        String x = "input";
        int node = 0;
        for (Map.Entry<String, long[]> p : ParameterShapes.of(randomInit, 2).entrySet()) {
            String name = p.getKey();
            boolean depthwise = name.endsWith("/depthwise_kernel");
            if (!depthwise && !name.endsWith("/kernel") || name.startsWith("head/")) {
                continue;
            }
            String layer = name.substring(0, name.lastIndexOf('/'));
            long[] hwio = p.getValue();
            long out = depthwise ? hwio[2] : hwio[3];
            long in = depthwise ? 1 : hwio[2];
            if (layer.equals(misshaped)) {
                out++;
            }
            long[] oihw = {out, in, hwio[0], hwio[1]};
            int n = (int) (oihw[0] * oihw[1] * oihw[2] * oihw[3]);
            String id = "n" + node;
            float[] kernel = new float[n];
            float[] bias = new float[(int) out];
            long group = depthwise ? out : 1;
            if (node == 0) {
                for (int i = 0; i < n; i++) {
                    kernel[i] = (float) random.nextGaussian();
                }
                for (int i = 0; i < out; i++) {
                    bias[i] = (float) random.nextGaussian();
                }
                graph.addInitializer(WeightFiles.floats(id + "_w", oihw, kernel));
                graph.addInitializer(WeightFiles.typedFloats(id + "_b", new long[] {out}, bias));
                graph.addNode(WeightFiles.node("Conv_" + node, "Conv", List.of(x, id + "_w", id + "_b"), group, 2));
            } else {
                byte[] q = new byte[n];
                float[] scale = new float[(int) out];
                int[] zero = new int[(int) out];
                int[] qBias = new int[(int) out];
                float inputScale = 0.01f + random.nextFloat() * 0.05f;
                for (int c = 0; c < out; c++) {
                    scale[c] = 0.001f + random.nextFloat() * 0.02f;
                    zero[c] = random.nextInt(7) - 3;
                    qBias[c] = random.nextInt(20001) - 10000;
                    bias[c] = (float) ((double) qBias[c] * inputScale * scale[c]);
                }
                int perChannel = n / (int) out;
                for (int i = 0; i < n; i++) {
                    q[i] = (byte) (random.nextInt(255) - 127);
                    kernel[i] = (float) ((q[i] - zero[i / perChannel]) * (double) scale[i / perChannel]);
                }
                graph.addInitializer(WeightFiles.typedFloats(id + "_x_scale", new long[] {}, new float[] {inputScale}));
                graph.addInitializer(WeightFiles.ints(id + "_x_zp", new long[] {}, Onnx.TensorProto.DataType.UINT8_VALUE, new int[] {128}));
                graph.addInitializer(WeightFiles.int8(id + "_w", oihw, q));
                graph.addInitializer(WeightFiles.typedFloats(id + "_w_scale", new long[] {out}, scale));
                graph.addInitializer(WeightFiles.ints(id + "_w_zp", new long[] {out}, Onnx.TensorProto.DataType.INT8_VALUE, zero));
                graph.addInitializer(WeightFiles.typedFloats(id + "_y_scale", new long[] {}, new float[] {0.02f}));
                graph.addInitializer(WeightFiles.ints(id + "_y_zp", new long[] {}, Onnx.TensorProto.DataType.UINT8_VALUE, new int[] {128}));
                graph.addInitializer(WeightFiles.ints(id + "_b", new long[] {out}, Onnx.TensorProto.DataType.INT32_VALUE, qBias));
                graph.addNode(WeightFiles.node("Conv_" + node + "_quant", "QLinearConv", List.of(x, id + "_x_scale", id + "_x_zp", id + "_w",
                        id + "_w_scale", id + "_w_zp", id + "_y_scale", id + "_y_zp", id + "_b"), group, strideOf(layer)));
            }
            x = graph.getNode(graph.getNodeCount() - 1).getOutput(0);
            expected.put(layer + (depthwise ? "/depthwise_kernel" : "/kernel"), hwio(oihw, kernel, depthwise));
            expected.put(layer + "/bias", new Weights.Tensor(new long[] {out}, bias));
            node++;
        }
        Files.write(file, Onnx.ModelProto.newBuilder().setIrVersion(7).setProducerName("lungflow-test").setGraph(graph).build().toByteArray());
        return new OnnxMobileNetV2(file, expected);
    }

    /** MobileNetV2's strides: 2 where the paper's table starts a stage with one (Conv1 aside, written as a float Conv). */
    private static long strideOf(String layer) {
        return List.of("block_1_depthwise", "block_3_depthwise", "block_6_depthwise", "block_13_depthwise").contains(layer) ? 2 : 1;
    }

    /** [out, in, kh, kw] to [kh, kw, in, out]; depthwise [c, 1, kh, kw] to [kh, kw, c, 1]. */
    private static Weights.Tensor hwio(long[] oihw, float[] values, boolean depthwise) {
        int o = (int) oihw[0];
        int in = (int) oihw[1];
        int h = (int) oihw[2];
        int w = (int) oihw[3];
        float[] out = new float[values.length];
        for (int a = 0; a < o; a++) {
            for (int b = 0; b < in; b++) {
                for (int y = 0; y < h; y++) {
                    for (int z = 0; z < w; z++) {
                        float v = values[((a * in + b) * h + y) * w + z];
                        out[depthwise ? (y * w + z) * o + a : ((y * w + z) * in + b) * o + a] = v;
                    }
                }
            }
        }
        return new Weights.Tensor(depthwise ? new long[] {h, w, o, 1} : new long[] {h, w, in, o}, out);
    }
}
