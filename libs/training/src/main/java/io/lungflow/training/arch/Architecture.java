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

    /** The prefix of the parameters of the layer that gives the class scores (made fresh when another run starts from these weights with other classes). */
    default String headPrefix() {
        return "head/";
    }

    /** This architecture started from {@code weights} (another run's, read back), trained as it would be. */
    static Architecture startingFrom(Architecture arch, Weights weights) {
        return new Architecture() {
            @Override
            public String name() {
                return arch.name();
            }

            @Override
            public ModelManifest.Input input() {
                return arch.input();
            }

            @Override
            public ModelManifest.Preprocessing preprocessing() {
                return arch.preprocessing();
            }

            @Override
            public Operand<TFloat32> logits(Ops tf, Params params, Operand<TFloat32> images, int classes, long seed) {
                return arch.logits(tf, params, images, classes, seed);
            }

            @Override
            public Weights initialWeights() {
                return weights;
            }

            @Override
            public Predicate<String> trainable() {
                return arch.trainable();
            }

            @Override
            public float learningRateScale(String parameter) {
                return arch.learningRateScale(parameter);
            }

            @Override
            public String headPrefix() {
                return arch.headPrefix();
            }

            @Override
            public String toString() {
                return arch + ", starting from another run's weights";
            }
        };
    }

    /** Values parameters start from (pretrained weights); the rest are initialised. */
    default Weights initialWeights() {
        return new Weights();
    }

    /**
     * Which parameters must be in {@link #initialWeights()}: a pretrained body whose file lacks one
     * fails naming it, rather than training that layer from random values unnoticed.
     */
    default Predicate<String> fromWeights() {
        return name -> false;
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
