package io.lungflow.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.lungflow.training.dataset.DatasetKind;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default recipe of each dataset kind, and what a run does when the default network's weights are not there. */
class TrainingRecipeTest {

    @TempDir
    Path empty;

    static TrainingRecipe.Overrides overrides(String arch, Path weightsDir) {
        return new TrainingRecipe.Overrides(arch, null, null, null, null, null, null, null, weightsDir, null, null, null, null, null, false,
                false, false, 1, null, null, null, null, 1);
    }

    @Test
    void ctSlicesTrainMobileNetV2ForTwentyEpochsAndXraysSqueezeNet() {
        TrainingRecipe.Choice ct = TrainingRecipe.choose(overrides("mobilenetv2", empty), DatasetKind.CT);
        assertThat(ct.options().epochs()).isEqualTo(20);
        assertThat(ct.options().learningRate()).isEqualTo(3e-4);
        assertThat(ct.note()).isNull();

        TrainingRecipe.Choice xray = TrainingRecipe.choose(overrides("squeezenet", empty), DatasetKind.XRAY_3CLASS);
        assertThat(xray.options().epochs()).isEqualTo(50);
    }

    @Test
    void withoutTheDefaultNetworksWeightsARunSaysSoAndTrainsTheCnn() {
        TrainingRecipe.Choice ct = TrainingRecipe.choose(overrides(null, empty), DatasetKind.CT);
        assertThat(ct.note()).contains("no mobilenetv2 ImageNet weights found").contains("training the cnn");
        assertThat(ct.options().epochs()).isEqualTo(40);

        TrainingRecipe.Choice xray = TrainingRecipe.choose(overrides(null, null), DatasetKind.XRAY);
        assertThat(xray.note()).contains("no squeezenet ImageNet weights found");
    }
}
