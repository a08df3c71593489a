package io.lungflow.training.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lungflow.schemas.EventJson;
import io.lungflow.imaging.SyntheticImages;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** train, evaluate and predict from the command line, offline, on a dataset the test makes. */
class CommandLineTest {

    @TempDir
    Path dir;

    @Test
    void trainThenEvaluateThenPredict() throws Exception {
        Path data = dir.resolve("xray");
        SyntheticImages.splitFolders(data, List.of("Covid", "Normal", "Viral Pneumonia"), List.of("train", "val", "test"), 12, 36, 21);
        Path model = dir.resolve("model");

        Run train = run("train", "--dataset", data.toString(), "--arch", "cnn", "--input-size", "32", "--epochs", "3",
                "--out", model.toString(), "--threads", "2");
        assertThat(train.code).as(train.err).isZero();
        assertThat(train.out).contains("Evaluation on held-out split 'test'").contains("per class").contains("viral-pneumonia");
        assertThat(train.err).contains("epoch 1/3").contains("recalibrated on the");
        assertThat(EventJson.mapper().readTree(model.resolve("manifest.json").toFile()).at("/offlineMetrics/recalibration").asText())
                .startsWith("on tune: scale ");
        assertThat(model.resolve("manifest.json")).exists();

        Path json = dir.resolve("metrics.json");
        Run evaluate = run("evaluate", "--model", model.toString(), "--dataset", data.toString(), "--json", json.toString());
        assertThat(evaluate.code).as(evaluate.err).isZero();
        assertThat(evaluate.out).contains("split 'test'").contains("ROC AUC");
        JsonNode metrics = EventJson.mapper().readTree(json.toFile());
        for (String field : List.of("accuracy", "sensitivity", "specificity", "auc", "f1", "confusion_matrix", "n", "per_class")) {
            assertThat(metrics.has(field)).as(field).isTrue();
        }
        assertThat(metrics.get("n").asInt()).isEqualTo(36);
        assertThat(metrics.get("per_class").fieldNames()).toIterable().containsExactly("covid", "normal", "viral-pneumonia");

        Path image = Files.list(data.resolve("test/Normal")).findFirst().orElseThrow();
        Run predict = run("predict", "--model", model.toString(), image.toString(), dir.resolve("absent.png").toString());
        assertThat(predict.code).isEqualTo(1);
        assertThat(predict.out).containsPattern("covid=0\\.\\d{4}  normal=0\\.\\d{4}  viral-pneumonia=0\\.\\d{4}")
                .contains("absent.png  cannot be read");
    }

    @Test
    void noRecalibrateKeepsTheNetworksOwnProbabilities() throws Exception {
        Path data = dir.resolve("ct");
        SyntheticImages.splitFolders(data, List.of("covid", "non-covid"), List.of("train", "val", "test"), 12, 36, 22);
        Path model = dir.resolve("model");

        Run train = run("train", "--dataset", data.toString(), "--arch", "cnn", "--input-size", "32", "--epochs", "2",
                "--out", model.toString(), "--threads", "2", "--no-recalibrate");

        assertThat(train.code).as(train.err).isZero();
        assertThat(train.err).doesNotContain("recalibrated");
        assertThat(EventJson.mapper().readTree(model.resolve("manifest.json").toFile()).at("/offlineMetrics/recalibration").asText())
                .isEqualTo("none");
    }

    @Test
    void evaluateScoresEveryImageOfAFolderOfClassFoldersOrOfALoneTestSplit() throws Exception {
        Path data = dir.resolve("ct");
        SyntheticImages.splitFolders(data, List.of("covid", "non-covid"), List.of("train", "val", "test"), 12, 36, 23);
        Path model = dir.resolve("model");
        assertThat(run("train", "--dataset", data.toString(), "--arch", "cnn", "--input-size", "32", "--epochs", "2",
                "--out", model.toString(), "--threads", "2").code).isZero();
        // An independent folder: class folders only (here the test images, 12 of each class, moved there).
        Path independent = dir.resolve("independent");
        Files.move(data.resolve("test"), independent);

        Run classFolders = run("evaluate", "--model", model.toString(), "--dataset", independent.toString());

        assertThat(classFolders.code).as(classFolders.err).isZero();
        assertThat(classFolders.out).contains("Evaluation on every image of independent (n=24)");

        Path loneTest = Files.createDirectories(dir.resolve("lone"));
        Files.move(independent, loneTest.resolve("test"));
        Run testOnly = run("evaluate", "--model", model.toString(), "--dataset", loneTest.toString());
        assertThat(testOnly.out).contains("Evaluation on every image of lone (n=24)");

        // --split still reproduces the split training made (here: the dataset's own val).
        Run val = run("evaluate", "--model", model.toString(), "--dataset", data.toString(), "--split", "val");
        assertThat(val.out).contains("Evaluation on split 'val' of ct (n=24)");
    }

    @Test
    void aRunStartsFromAnotherRunsWeightsWithAFreshClassLayerWhenTheClassesDiffer() throws Exception {
        Path three = dir.resolve("xray");
        SyntheticImages.splitFolders(three, List.of("Covid", "Normal", "Viral Pneumonia"), List.of("train", "val", "test"), 12, 36, 24);
        Path first = dir.resolve("first");
        assertThat(run("train", "--dataset", three.toString(), "--arch", "cnn", "--input-size", "32", "--epochs", "2",
                "--out", first.toString(), "--threads", "2").code).isZero();
        Path two = dir.resolve("ct");
        SyntheticImages.splitFolders(two, List.of("covid", "non-covid"), List.of("train", "val", "test"), 12, 36, 25);

        Run second = run("train", "--dataset", two.toString(), "--arch", "cnn", "--input-size", "32", "--epochs", "1",
                "--init-from", first.toString(), "--out", dir.resolve("second").toString(), "--threads", "2");

        assertThat(second.code).as(second.err).isZero();
        assertThat(second.err).contains("starting from the trained weights of " + first);
        assertThat(second.err).contains("starting from another run's weights");

        Run wrongArch = run("train", "--dataset", two.toString(), "--arch", "mobilenet", "--input-size", "32", "--epochs", "1",
                "--init-from", first.toString(), "--out", dir.resolve("third").toString());
        assertThat(wrongArch.code).isEqualTo(1);
        assertThat(wrongArch.err).contains("Cannot start a mobilenet from " + first + ", a cnn (give --arch cnn)");
    }

    @Test
    void aMissingDatasetIsAClearError() {
        Run run = run("train", "--dataset", dir.resolve("nothing").toString(), "--arch", "cnn");
        assertThat(run.code).isEqualTo(1);
        assertThat(run.err).contains("No dataset directory");
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true));
        try {
            int code = new CommandLine(new Main())
                    .setExecutionExceptionHandler((e, cmd, parsed) -> {
                        System.err.println("lungflow: " + e.getMessage());
                        return 1;
                    })
                    .execute(args);
            return new Run(code, out.toString(), err.toString());
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }
}
