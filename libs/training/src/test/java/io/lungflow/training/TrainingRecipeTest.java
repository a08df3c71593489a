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

    static TrainingRecipe.Overrides withEpochs(String arch, int epochs) {
        return new TrainingRecipe.Overrides(arch, epochs, null, null, null, null, null, null, null, null, null, null, null, null, false,
                false, false, 1, null, null, null, null, 1);
    }

    @Test
    void everyKindTrainsMobileNetV2ForTwentyEpochsOnASmallSetAndFewerOnALargeOne() {
        for (DatasetKind kind : DatasetKind.values()) {
            TrainingRecipe.Choice choice = TrainingRecipe.choose(overrides("mobilenetv2", empty), kind);
            assertThat(choice.options().learningRate()).isEqualTo(3e-4);
            assertThat(choice.note()).isNull();
            // COVID-CT's 366 fit images at 224 px: all 20 epochs; at 224 sarscov2-ct's 1,390 would get 5, at 160 px 10;
            // covid-radiography's 1,680 at 160 px 8.
            assertThat(choice.options().epochsFor(366, 224)).as(kind.name()).isEqualTo(20);
            assertThat(choice.options().epochsFor(1_390, 224)).as(kind.name()).isEqualTo(5);
            assertThat(choice.options().epochsFor(1_390, 160)).as(kind.name()).isEqualTo(10);
            assertThat(choice.options().epochsFor(1_680, 160)).as(kind.name()).isEqualTo(8);
            assertThat(choice.options().epochsFor(1_000_000, 224)).as(kind.name()).isEqualTo(TrainingOptions.MIN_BUDGETED_EPOCHS);
        }
    }

    @Test
    void aLargeTrainingSplitTrainsAt160PixelsUnlessTheSizeIsGiven() {
        assertThat(TrainingRecipe.inputSize(null, true, 425)).isEqualTo(224); // COVID-CT's official train split
        assertThat(TrainingRecipe.inputSize(null, true, 1_390)).isEqualTo(160); // sarscov2-ct's 70%
        assertThat(TrainingRecipe.inputSize(null, false, 1_390)).isEqualTo(224); // --epochs given: no budget
        assertThat(TrainingRecipe.inputSize(192, true, 1_390)).isEqualTo(192);
    }

    @Test
    void epochsGivenOrAnotherNetworkAreNotBudgeted() {
        assertThat(TrainingRecipe.choose(withEpochs("mobilenetv2", 10), DatasetKind.CT).options().epochsFor(1_390, 224)).isEqualTo(10);
        assertThat(TrainingRecipe.choose(overrides("squeezenet", empty), DatasetKind.XRAY_3CLASS).options().epochsFor(1_390, 224))
                .isEqualTo(50);
    }

    @Test
    void withoutTheDefaultNetworksWeightsARunSaysSoAndTrainsTheCnn() {
        TrainingRecipe.Choice ct = TrainingRecipe.choose(overrides(null, empty), DatasetKind.CT);
        assertThat(ct.note()).contains("no mobilenetv2 ImageNet weights found").contains("training the cnn");
        assertThat(ct.options().epochs()).isEqualTo(40);

        TrainingRecipe.Choice xray = TrainingRecipe.choose(overrides(null, null), DatasetKind.XRAY);
        assertThat(xray.note()).contains("no mobilenetv2 ImageNet weights found");
    }
}
