package io.lungflow.training.dataset;

import io.lungflow.imaging.ClassNames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lungflow.training.LoadedDataset;
import io.lungflow.imaging.SyntheticImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each public layout imports with the right classes and splits, and nothing is dropped without a reason. */
class DatasetImporterTest {

    @TempDir
    Path dir;

    @Test
    void covidCtLayoutKeepsTheGivenSplitsAndReportsWhatItSkips() throws Exception {
        Random random = new Random(1);
        for (int i = 0; i < 6; i++) {
            SyntheticImages.write(SyntheticImages.image(0, 32, random, false), dir.resolve("CT_COVID/2020.03.01.1234-p" + i + ".png"));
            SyntheticImages.write(SyntheticImages.image(1, 32, random, true), dir.resolve("CT_NonCOVID/" + i + ".jpg"));
        }
        Files.writeString(dir.resolve("CT_COVID/notes.txt"), "not an image");
        Files.createDirectories(dir.resolve("Data-split/COVID"));
        Files.createDirectories(dir.resolve("Data-split/NonCOVID"));
        Files.write(dir.resolve("Data-split/COVID/trainCT_COVID.txt"), List.of("2020.03.01.1234-p0.png", "2020.03.01.1234-p1.png",
                "2020.03.01.1234-p2.png", "2020.03.01.1234-p3.png"));
        Files.write(dir.resolve("Data-split/COVID/valCT_COVID.txt"), List.of("2020.03.01.1234-p4.png", "missing.png"));
        Files.write(dir.resolve("Data-split/NonCOVID/trainCT_NonCOVID.txt"), List.of("0.jpg", "1.jpg", "2.jpg", "3.jpg"));
        Files.write(dir.resolve("Data-split/NonCOVID/valCT_NonCOVID.txt"), List.of("4.jpg", "5.jpg"));

        Dataset d = DatasetImporter.importFrom(dir, ImportOptions.defaults());
        assertThat(d.layout()).isEqualTo("covid-ct");
        assertThat(d.classes()).containsExactly("covid", "non-covid");
        assertThat(d.counts()).isEqualTo(Map.of("train", Map.of("covid", 4, "non-covid", 4), "val", Map.of("covid", 1, "non-covid", 2)));
        assertThat(d.skipped()).anyMatch(s -> s.contains("notes.txt") && s.contains("not an image"))
                .anyMatch(s -> s.contains("2020.03.01.1234-p5.png") && s.contains("in no Data-split list"))
                .anyMatch(s -> s.contains("missing.png") && s.contains("not found"));
        // Slices of one source paper share a group.
        assertThat(d.split("train").stream().filter(i -> i.label().equals("covid")).map(LabelledImage::group).distinct())
                .containsExactly("2020.03.01.1234");
    }

    @Test
    void splitFoldersNormaliseClassNames() {
        SyntheticImages.splitFolders(dir, List.of("Covid", "Normal", "Viral Pneumonia"), List.of("train", "val", "test"), 3, 24, 2);
        Dataset d = DatasetImporter.importFrom(dir, ImportOptions.defaults());
        assertThat(d.layout()).isEqualTo("split-folders");
        assertThat(d.classes()).containsExactly("covid", "normal", "viral-pneumonia");
        assertThat(d.splits()).containsExactly("test", "train", "val");
        assertThat(d.split("val")).hasSize(9);
    }

    @Test
    void aDatasetWithOnlyTrainGetsAStratifiedDeterministicSplit() {
        SyntheticImages.splitFolders(dir, List.of("Covid", "Normal"), List.of("train"), 20, 24, 3);
        Dataset d = DatasetImporter.importFrom(dir, ImportOptions.defaults());
        assertThat(d.counts().get("train")).isEqualTo(Map.of("covid", 14, "normal", 14));
        assertThat(d.counts().get("val")).isEqualTo(Map.of("covid", 3, "normal", 3));
        assertThat(d.counts().get("test")).isEqualTo(Map.of("covid", 3, "normal", 3));
        assertThat(d.skipped()).anyMatch(s -> s.contains("70/15/15"));
        Dataset again = DatasetImporter.importFrom(dir, ImportOptions.defaults());
        assertThat(again.images()).isEqualTo(d.images());
        Dataset otherSeed = DatasetImporter.importFrom(dir, new ImportOptions(Map.of(), null, 99));
        assertThat(otherSeed.images()).isNotEqualTo(d.images());
    }

    @Test
    void classFoldersAreSplitKeepingEachPatientTogether() throws Exception {
        Random random = new Random(4);
        for (int patient = 0; patient < 10; patient++) {
            for (int slice = 0; slice < 3; slice++) {
                SyntheticImages.write(SyntheticImages.image(0, 24, random, false), dir.resolve("Positive/p" + patient + "_s" + slice + ".png"));
                SyntheticImages.write(SyntheticImages.image(1, 24, random, false), dir.resolve("Negative/q" + patient + "_s" + slice + ".png"));
            }
        }
        Dataset d = DatasetImporter.importFrom(dir, new ImportOptions(Map.of("Positive", "covid", "Negative", "non-covid"),
                Pattern.compile("^([pq]\\d+)_"), 5));
        assertThat(d.layout()).isEqualTo("class-folders");
        assertThat(d.classes()).containsExactly("covid", "non-covid");
        Map<String, List<String>> splitsPerPatient = d.images().stream()
                .collect(Collectors.groupingBy(LabelledImage::group, Collectors.mapping(LabelledImage::split, Collectors.toList())));
        assertThat(splitsPerPatient).hasSize(20).allSatisfy((patient, splits) -> assertThat(splits).containsOnly(splits.get(0)));
        assertThat(d.splits()).containsExactly("test", "train", "val");
    }

    @Test
    void anImageThatDoesNotDecodeIsReportedAndSkipped() throws Exception {
        SyntheticImages.splitFolders(dir, List.of("covid", "non-covid"), List.of("train", "val", "test"), 2, 24, 6);
        Files.write(dir.resolve("test/covid/broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        Dataset d = DatasetImporter.importFrom(dir, ImportOptions.defaults());
        List<String> skipped = new java.util.ArrayList<>();
        assertThat(LoadedDataset.decodeSplit(d, "test", skipped)).hasSize(4);
        assertThat(skipped).singleElement().satisfies(s -> assertThat(s).contains("broken.png").contains("not a PNG or JPEG"));
    }

    @Test
    void aDirectoryWithoutImagesIsRefused() {
        assertThatThrownBy(() -> DatasetImporter.importFrom(dir.resolve("absent"), ImportOptions.defaults()))
                .hasMessageContaining("No dataset directory");
        assertThatThrownBy(() -> DatasetImporter.importFrom(dir, ImportOptions.defaults())).hasMessageContaining("No images");
    }

    @Test
    void classNamesAreNormalised() {
        assertThat(ClassNames.normalise("CT_NonCOVID", Map.of())).isEqualTo("non-covid");
        assertThat(ClassNames.normalise("COVID-19", Map.of())).isEqualTo("covid");
        assertThat(ClassNames.normalise("Viral Pneumonia", Map.of())).isEqualTo("viral-pneumonia");
        assertThat(ClassNames.normalise("Lung_Opacity", Map.of())).isEqualTo("lung-opacity");
        assertThat(ClassNames.normalise("X", Map.of("X", "Normal"))).isEqualTo("normal");
    }
}
