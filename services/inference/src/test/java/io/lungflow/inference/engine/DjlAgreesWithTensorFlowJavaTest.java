package io.lungflow.inference.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.lungflow.imaging.GrayImage;
import io.lungflow.imaging.ImageDecoding;
import io.lungflow.imaging.Preprocessor;
import io.lungflow.inference.InferenceConfig;
import io.lungflow.inference.TestModels;
import io.lungflow.schemas.ModelManifest;
import io.lungflow.training.SavedModelPredictor;
import io.lungflow.imaging.SyntheticImages;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import javax.imageio.ImageIO;
import io.lungflow.training.arch.Architecture;
import io.lungflow.training.arch.Backbone;
import io.lungflow.training.arch.InputScaling;
import io.lungflow.training.arch.MobileNet;
import io.lungflow.training.arch.MobileNetV2;
import io.lungflow.training.arch.SqueezeNet;
import io.lungflow.training.graph.Weights;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model trained and exported by the trainer's code (recalibrated, as runs are by default), served
 * through DJL on the TensorFlow engine, gives the probabilities TensorFlow Java computes for the
 * same SavedModel and input, to 1e-5.
 */
class DjlAgreesWithTensorFlowJavaTest {

    @TempDir
    Path work;

    @Test
    void servedProbabilitiesEqualTensorFlowJavas() throws Exception {
        ModelManifest manifest = TestModels.trained(work, "agreement", "1");
        // The graph served includes the trainer's recalibration of the probabilities.
        assertThat((String) manifest.offlineMetrics().get("recalibration")).startsWith("on tune: scale ");
        float[][] served = assertServedEqualsTensorFlowJava(manifest);
        // And the model learned something: disks (covid) score higher than rings.
        assertThat(served[0][0]).isGreaterThan(served[1][0]);
    }

    /** Each ImageNet backbone (depthwise convolutions, ReLU6, frozen or batch statistics), trained a step and exported, serves as TF Java computes it. */
    @ParameterizedTest
    @ValueSource(strings = {"squeezenet", "mobilenet", "mobilenetv2"})
    void eachBackboneTrainedAStepServesWhatTensorFlowJavaComputes(String name) throws Exception {
        Set<String> all = Set.of(Backbone.ALL);
        Architecture arch = switch (name) {
            case "squeezenet" -> new SqueezeNet(new Weights(), all, InputScaling.UNIT, 0.5f, 64, 1f);
            case "mobilenet" -> new MobileNet(new Weights(), all, InputScaling.UNIT, 0.5f, 32, 1f, MobileNet.Top.FRESH);
            default -> new MobileNetV2(new Weights(), all, InputScaling.IMAGENET, 0.5f, 32, 1f);
        };
        ModelManifest manifest = TestModels.trained(work, name, "1", arch, 1);
        assertThat(manifest.architecture()).isEqualTo(name);
        assertServedEqualsTensorFlowJava(manifest);
    }

    private float[][] assertServedEqualsTensorFlowJava(ModelManifest manifest) throws Exception {
        Path dir = TestModels.dir(work, manifest);
        List<GrayImage> images = images(12);
        Preprocessor prep = Preprocessor.of(manifest);

        float[][] expected;
        try (SavedModelPredictor tfJava = SavedModelPredictor.load(dir, 1)) {
            expected = tfJava.predict(images);
        }
        float[][] served;
        TensorFlowEngine engine = new TensorFlowEngine(config());
        try (LoadedModel model = LoadedModel.load(engine, dir, manifest)) {
            float[] data = new float[images.size() * prep.size()];
            for (int i = 0; i < images.size(); i++) {
                prep.apply(images.get(i), data, i * prep.size());
            }
            served = model.predict(new PreparedBatch(data, images.size(), prep.height(), prep.width(), prep.channels()));
        }
        assertThat(served).hasSameDimensionsAs(expected);
        for (int i = 0; i < expected.length; i++) {
            for (int c = 0; c < expected[i].length; c++) {
                assertThat(served[i][c]).as("image %d class %d", i, c).isCloseTo(expected[i][c], within(1e-5f));
            }
        }
        return served;
    }

    static List<GrayImage> images(int n) throws Exception {
        Random random = new Random(77);
        List<GrayImage> images = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(SyntheticImages.image(i % 2, 40, random, i % 3 == 0), "png", png);
            images.add(ImageDecoding.decode(png.toByteArray()));
        }
        return images;
    }

    static InferenceConfig config() {
        return io.lungflow.inference.bench.BenchConfig.config();
    }
}
