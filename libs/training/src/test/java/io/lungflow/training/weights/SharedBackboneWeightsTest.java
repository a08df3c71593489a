package io.lungflow.training.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lungflow.training.arch.MobileNet;
import io.lungflow.training.arch.MobileNetV2;
import io.lungflow.training.graph.Weights;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The ImageNet weights in ../shared/weights, read into the backbones' parameter names (skips, saying so, without ../shared). */
class SharedBackboneWeightsTest {

    static final Path WEIGHTS = Path.of(System.getProperty("lungflow.shared.dir", "../../../shared"), "weights");

    @Test
    void mobileNetV1FromTensorFlowJsHasEveryLayerButTheMissingLastPointwiseKernel() {
        Path file = WEIGHTS.resolve(BackboneWeights.usualName(MobileNet.NAME));
        assumeTrue(Files.exists(file), "SKIPPED: ../shared is absent, so the MobileNet weights are not here (" + file + ")");

        Weights w = BackboneWeights.load(MobileNet.NAME, file);

        assertThat(w.contains("conv_pw_13/kernel")).isFalse();
        assertThat(w.get("conv_pw_12/kernel").shape()).containsExactly(1, 1, 512, 1024);
        assertThat(w.get("conv_dw_13/depthwise_kernel").shape()).containsExactly(3, 3, 1024, 1);
        assertThat(w.get("conv1_bn/moving_variance").shape()).containsExactly(32);
        // The 1000-class classifier the file also holds is read but never used by the network.
        assertThat(w.contains("conv_preds/kernel")).isTrue();
    }

    @Test
    void mobileNetV2FromTheQuantizedOnnxModelMapsAll52Convolutions() {
        Path file = WEIGHTS.resolve(BackboneWeights.usualName(MobileNetV2.NAME));
        assumeTrue(Files.exists(file), "SKIPPED: ../shared is absent, so the MobileNetV2 weights are not here (" + file + ")");

        Weights w = BackboneWeights.load(MobileNetV2.NAME, file);

        assertThat(w.all()).hasSize(52 * 2);
        assertThat(w.get("Conv1/kernel").shape()).containsExactly(3, 3, 3, 32);
        assertThat(w.get("expanded_conv_depthwise/depthwise_kernel").shape()).containsExactly(3, 3, 32, 1);
        assertThat(w.get("block_16_project/kernel").shape()).containsExactly(1, 1, 960, 320);
        assertThat(w.get("Conv_1/bias").shape()).containsExactly(1280);
        // Dequantized, with batch normalisation folded in: real-valued, neither all zero nor wild.
        float max = 0;
        for (float v : w.get("Conv1/kernel").values()) {
            max = Math.max(max, Math.abs(v));
        }
        assertThat(max).isBetween(0.05f, 100f);
    }
}
