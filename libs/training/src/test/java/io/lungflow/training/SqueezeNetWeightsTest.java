package io.lungflow.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lungflow.training.arch.SqueezeNetWeights;
import io.lungflow.training.graph.Weights;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The shared SqueezeNet 1.1 ImageNet weights read into the network's parameter names (needs ../shared). */
class SqueezeNetWeightsTest {

    static final Path WEIGHTS = Path.of(System.getProperty("lungflow.shared.dir", "../../../shared"),
            "weights", "squeezenet_weights_tf_dim_ordering_tf_kernels_notop.h5");

    @Test
    void everyLayerIsReadWithItsShape() {
        assumeTrue(Files.isRegularFile(WEIGHTS), "SKIPPED: ../shared is absent, so the SqueezeNet weights are not here (" + WEIGHTS + ")");
        Weights w = SqueezeNetWeights.load(WEIGHTS);
        assertThat(w.get("conv1/kernel").shape()).containsExactly(3, 3, 3, 64);
        assertThat(w.get("fire2/squeeze1x1/kernel").shape()).containsExactly(1, 1, 64, 16);
        assertThat(w.get("fire9/expand3x3/kernel").shape()).containsExactly(3, 3, 64, 256);
        assertThat(w.get("fire9/expand3x3/bias").shape()).containsExactly(256);
        assertThat(w.all()).hasSize(2 + 8 * 3 * 2);
        // SqueezeNet 1.1 without its classifier: 722,496 parameters.
        assertThat(w.size()).isEqualTo(722_496);
    }
}
