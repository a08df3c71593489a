package io.lungflow.training.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lungflow.training.weights.onnx.Onnx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ONNX initializers read with the generated protobuf classes: float ones as stored, quantized ones dequantized per tensor or per channel. */
class OnnxWeightsTest {

    @TempDir
    Path dir;

    @Test
    void dequantizesPerTensorAndPerChannel() throws Exception {
        Onnx.GraphProto graph = Onnx.GraphProto.newBuilder()
                .addInitializer(WeightFiles.floats("f", new long[] {2}, new float[] {1.5f, -2f}))
                // uint8 per tensor, through DequantizeLinear: (q - 10) * 0.5
                .addInitializer(WeightFiles.ints("u", new long[] {3}, Onnx.TensorProto.DataType.UINT8_VALUE, new int[] {10, 12, 255}))
                .addInitializer(WeightFiles.typedFloats("u_scale", new long[] {}, new float[] {0.5f}))
                .addInitializer(WeightFiles.ints("u_zp", new long[] {}, Onnx.TensorProto.DataType.UINT8_VALUE, new int[] {10}))
                .addNode(Onnx.NodeProto.newBuilder().setName("dq").setOpType("DequantizeLinear").addInput("u").addInput("u_scale").addInput("u_zp"))
                // int8 [2, 3] per channel along axis 1: column c has scale s[c], zero point z[c]
                .addInitializer(WeightFiles.int8("m", new long[] {2, 3}, new byte[] {1, 2, 3, -1, -2, -3}))
                .addInitializer(WeightFiles.typedFloats("m_scale", new long[] {3}, new float[] {1f, 0.1f, 0.01f}))
                .addInitializer(WeightFiles.ints("m_zp", new long[] {3}, Onnx.TensorProto.DataType.INT8_VALUE, new int[] {0, 1, -1}))
                .addNode(Onnx.NodeProto.newBuilder().setName("mm").setOpType("QLinearMatMul").addAllInput(List.of("a", "a_s", "a_zp", "m", "m_scale",
                        "m_zp", "y_s", "y_zp")))
                .build();
        Path file = dir.resolve("small.onnx");
        Files.write(file, Onnx.ModelProto.newBuilder().setIrVersion(7).setGraph(graph).build().toByteArray());

        var all = OnnxWeights.load(file).all();

        assertThat(all.get("f").values()).containsExactly(1.5f, -2f);
        assertThat(all.get("u").values()).containsExactly(0f, 1f, 122.5f);
        assertThat(all.get("m").shape()).containsExactly(2, 3);
        assertThat(all.get("m").values()).containsExactly(new float[] {1f, 0.1f, 0.04f, -1f, -0.3f, -0.02f}, org.assertj.core.data.Offset.offset(1e-6f));
        // Scales and zero points are not weights in their own right only when quantized data uses them; the float scale is kept as a float tensor.
        assertThat(all.contains("u_zp")).isFalse();
    }

    @Test
    void aTensorWhoseBytesDoNotMatchItsShapeFailsNamingIt() throws Exception {
        Onnx.TensorProto bad = WeightFiles.floats("conv_w", new long[] {2, 2}, new float[] {1, 2, 3});
        Path file = dir.resolve("bad.onnx");
        Files.write(file, Onnx.ModelProto.newBuilder().setGraph(Onnx.GraphProto.newBuilder().addInitializer(bad)).build().toByteArray());

        assertThatThrownBy(() -> OnnxWeights.load(file)).hasMessageContaining("Tensor conv_w [2, 2] needs 16 bytes; it holds 12");
    }

    @Test
    void aFileThatIsNotAnOnnxModelIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("notes.onnx"), "not a model");

        assertThatThrownBy(() -> OnnxWeights.load(file)).hasMessageContaining("notes.onnx");
    }
}
