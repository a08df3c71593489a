package io.lungflow.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.lungflow.imaging.GrayImage;
import io.lungflow.imaging.Resize;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.types.TFloat32;

/** lungflow's bilinear resize against TensorFlow's own kernel, an independent implementation of the same definition. */
class ResizeAgreesWithTensorFlowTest {

    @Test
    void bilinearMatchesResizeBilinearWithHalfPixelCentres() {
        TensorFlowRuntime.configure();
        Random random = new Random(9);
        int[][] sizes = {{37, 23, 64, 64}, {300, 211, 224, 224}, {16, 16, 40, 25}};
        for (int[] s : sizes) {
            byte[] pixels = new byte[s[0] * s[1]];
            random.nextBytes(pixels);
            GrayImage image = new GrayImage(s[0], s[1], pixels);
            float[] ours = Resize.resize(image, s[2], s[3], Resize.Method.BILINEAR);
            float[] theirs = tensorFlow(image, s[2], s[3]);
            float worst = 0;
            for (int i = 0; i < ours.length; i++) {
                worst = Math.max(worst, Math.abs(ours[i] - theirs[i]));
            }
            // TensorFlow computes source coordinates in float32; that rounding moves values by a few thousandths of a grey level.
            assertThat(worst).as("largest difference for %dx%d to %dx%d", s[0], s[1], s[2], s[3]).isLessThan(0.01f);
        }
    }

    private static float[] tensorFlow(GrayImage image, int width, int height) {
        float[] in = new float[image.width() * image.height()];
        for (int i = 0; i < in.length; i++) {
            in[i] = image.pixels()[i] & 0xff;
        }
        float[] out = new float[width * height];
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            Operand<TFloat32> x = tf.constant(Shape.of(1, image.height(), image.width(), 1), DataBuffers.of(in, true, false));
            Operand<TFloat32> y = tf.image.resizeBilinear(x, tf.constant(new int[] {height, width}), ResizeBilinear.halfPixelCenters(true));
            try (Result r = s.runner().fetch(y).run()) {
                ((TFloat32) r.get(0)).copyTo(DataBuffers.of(out, false, false));
            }
        }
        return out;
    }
}
