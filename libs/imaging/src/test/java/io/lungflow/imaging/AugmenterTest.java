package io.lungflow.imaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Augmentation moves pixels where geometry says, and is reproducible from its seed. */
class AugmenterTest {

    private static final GrayImage IMAGE = new GrayImage(3, 3, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});

    @Test
    void theIdentityTransformChangesNothing() {
        assertThat(Augmenter.transform(IMAGE, 0, 1, 0, 0, false)).isEqualTo(IMAGE);
        assertThat(Augmenter.none().apply(IMAGE, new Random(1))).isEqualTo(IMAGE);
    }

    @Test
    void flippingMirrorsEachRow() {
        assertThat(Augmenter.transform(IMAGE, 0, 1, 0, 0, true))
                .isEqualTo(new GrayImage(3, 3, new byte[] {3, 2, 1, 6, 5, 4, 9, 8, 7}));
    }

    @Test
    void aQuarterTurnRotatesAboutTheCentre() {
        GrayImage turned = Augmenter.transform(IMAGE, Math.PI / 2, 1, 0, 0, false);
        assertThat(turned.get(1, 1)).isEqualTo(5);
        // Rotating the content by +90° (y down) sends the top-left corner to the top-right.
        assertThat(turned.get(2, 0)).isEqualTo(1);
        assertThat(turned.get(0, 2)).isEqualTo(9);
    }

    @Test
    void aShiftMovesContentAndExtendsTheEdge() {
        GrayImage shifted = Augmenter.transform(IMAGE, 0, 1, 1, 0, false);
        assertThat(shifted).isEqualTo(new GrayImage(3, 3, new byte[] {1, 1, 2, 4, 4, 5, 7, 7, 8}));
    }

    @Test
    void intensityJitterFollowsItsFormula() {
        GrayImage ramp = new GrayImage(3, 1, new byte[] {0, (byte) 128, (byte) 255});
        assertThat(Augmenter.intensity(ramp, 1, 0, 1)).isEqualTo(ramp);
        // contrast 0.5 around 128: 64, 128, 191.5 → 192; brightness +10 on top; gamma 1.
        assertThat(Augmenter.intensity(ramp, 0.5, 10, 1)).isEqualTo(new GrayImage(3, 1, new byte[] {74, (byte) 138, (byte) 202}));
        // gamma 2 on 128: 255 · (128/255)² = 64.25 → 64.
        assertThat(Augmenter.intensity(ramp, 1, 0, 2).get(1, 0)).isEqualTo(64);
    }

    @Test
    void theSameSeedGivesTheSameImage() {
        Augmenter augmenter = new Augmenter(15, 0.1, 0.1, true);
        GrayImage big = new GrayImage(32, 32, new byte[32 * 32]);
        for (int i = 0; i < 32 * 32; i++) {
            big.pixels()[i] = (byte) (i * 7);
        }
        assertThat(augmenter.apply(big, new Random(42))).isEqualTo(augmenter.apply(big, new Random(42)));
        assertThat(augmenter.apply(big, new Random(42))).isNotEqualTo(augmenter.apply(big, new Random(43)));
    }
}
