package io.lungflow.training.arch;

import io.lungflow.schemas.ModelManifest;
import io.lungflow.training.graph.Params;
import io.lungflow.training.graph.Weights;
import java.util.function.Predicate;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A network: its input and preprocessing (written into the manifest, so serving prepares images
 * identically), its forward pass, and where training starts from.
 */
public interface Architecture {

    /** {@code cnn}, {@code squeezenet}: the name in the manifest and on the command line. */
    String name();

    ModelManifest.Input input();

    ModelManifest.Preprocessing preprocessing();

    /** Unnormalised class scores, [batch, classes], for images [batch, height, width, channels]. */
    Operand<TFloat32> logits(Ops tf, Params params, Operand<TFloat32> images, int classes, long seed);

    /** Values parameters start from (pretrained weights); the rest are initialised. */
    default Weights initialWeights() {
        return new Weights();
    }

    /** Which parameters training moves; the others stay frozen. */
    default Predicate<String> trainable() {
        return name -> true;
    }

    /** The learning rate of a parameter relative to the base rate (a new head may learn faster than a pretrained body). */
    default float learningRateScale(String parameter) {
        return 1f;
    }
}
