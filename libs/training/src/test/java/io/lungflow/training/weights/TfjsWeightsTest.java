package io.lungflow.training.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lungflow.training.graph.Weights;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A TensorFlow.js layers model's weight files, read as its manifest describes them. */
class TfjsWeightsTest {

    @TempDir
    Path dir;

    @Test
    void aGroupSpreadOverTwoShardsIsReadAsOneBufferInManifestOrder() throws Exception {
        ByteBuffer all = ByteBuffer.allocate(4 * 10).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 10; i++) {
            all.putFloat(i * 0.5f);
        }
        Files.write(dir.resolve("g1-shard1of2"), java.util.Arrays.copyOfRange(all.array(), 0, 18));
        Files.write(dir.resolve("g1-shard2of2"), java.util.Arrays.copyOfRange(all.array(), 18, 40));
        Files.writeString(dir.resolve("model.json"), """
                {"modelTopology": {}, "weightsManifest": [{"paths": ["g1-shard1of2", "g1-shard2of2"], "weights": [
                  {"name": "conv1/kernel", "shape": [2, 3], "dtype": "float32"},
                  {"name": "conv1_bn/gamma", "shape": [4], "dtype": "float32"}]}]}
                """);

        Weights w = TfjsWeights.load(dir);

        assertThat(w.get("conv1/kernel").shape()).containsExactly(2, 3);
        assertThat(w.get("conv1/kernel").values()).containsExactly(0f, 0.5f, 1f, 1.5f, 2f, 2.5f);
        assertThat(w.get("conv1_bn/gamma").values()).containsExactly(3f, 3.5f, 4f, 4.5f);
    }

    @Test
    void uint8QuantizedWeightsAreScaledAndOffset() throws Exception {
        Files.write(dir.resolve("q"), new byte[] {0, 1, (byte) 255});
        Files.writeString(dir.resolve("model.json"), """
                {"weightsManifest": [{"paths": ["q"], "weights": [{"name": "d/bias", "shape": [3], "dtype": "float32",
                  "quantization": {"dtype": "uint8", "scale": 0.5, "min": -1.0}}]}]}
                """);

        assertThat(TfjsWeights.load(dir.resolve("model.json")).get("d/bias").values()).containsExactly(-1f, -0.5f, 126.5f);
    }

    @Test
    void aWeightFileTooShortForItsTensorsFailsNamingTheTensor() throws Exception {
        Files.write(dir.resolve("short"), new byte[20]);
        Files.writeString(dir.resolve("model.json"), """
                {"weightsManifest": [{"paths": ["short"], "weights": [{"name": "conv_pw_2/kernel", "shape": [1, 1, 2, 3], "dtype": "float32"}]}]}
                """);

        assertThatThrownBy(() -> TfjsWeights.load(dir)).hasMessageContaining("Tensor conv_pw_2/kernel [1, 1, 2, 3] needs 24 bytes");
    }

    @Test
    void aWeightFileOutsideTheModelsDirectoryIsRefused() throws Exception {
        Files.writeString(dir.resolve("model.json"), """
                {"weightsManifest": [{"paths": ["../../etc/passwd"], "weights": [{"name": "a/kernel", "shape": [1], "dtype": "float32"}]}]}
                """);

        assertThatThrownBy(() -> TfjsWeights.load(dir)).hasMessageContaining("outside its directory");
    }
}
