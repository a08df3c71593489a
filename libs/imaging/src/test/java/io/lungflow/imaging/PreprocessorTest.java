package io.lungflow.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.lungflow.schemas.ModelManifest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tensor a manifest asks for, element by element, against the manifest's formula applied by hand. */
class PreprocessorTest {

    @Test
    void normalisesPerChannelInHeightWidthChannelOrder() {
        Preprocessor p = new Preprocessor(new ModelManifest.Input(1, 2, 3), new ModelManifest.Preprocessing("grayscale",
                "bilinear", new ModelManifest.Normalization(0.5, List.of(1.0, 2.0, 3.0), List.of(2.0, 4.0, 8.0)), null));
        float[] tensor = p.apply(new GrayImage(2, 1, new byte[] {10, (byte) 200}));
        // (x · 0.5 − mean[c]) / std[c] for x = 10, then x = 200.
        float[] expected = {(5 - 1) / 2f, (5 - 2) / 4f, (5 - 3) / 8f, (100 - 1) / 2f, (100 - 2) / 4f, (100 - 3) / 8f};
        assertThat(tensor).hasSize(6);
        for (int i = 0; i < 6; i++) {
            assertThat(tensor[i]).isCloseTo(expected[i], within(1e-6f));
        }
    }

    @Test
    void resizesBeforeNormalising() {
        Preprocessor p = new Preprocessor(new ModelManifest.Input(1, 4, 1), new ModelManifest.Preprocessing("grayscale",
                "bilinear", new ModelManifest.Normalization(1 / 255.0, List.of(0.0), List.of(1.0)), null));
        float[] tensor = p.apply(new GrayImage(2, 1, new byte[] {0, 100}));
        assertThat(tensor).containsExactly(new float[] {0f, 25 / 255f, 75 / 255f, 100 / 255f}, within(1e-6f));
    }
}
