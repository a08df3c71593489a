package io.lungflow.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --help} after any command of {@code ./lungflow} prints that command's usage, exits 0 and
 * does nothing else: no stack brought up, no benchmark run against one, no state written (the
 * state directory the test names is never made). Before, {@code bench load --help} ran the whole
 * load benchmark, {@code demo --help} brought the stack up, {@code train --help} exited 2 with
 * "Missing required option" and {@code bench --help} exited 1.
 */
class LauncherHelpIT {

    @ParameterizedTest
    @ValueSource(strings = {"up", "down", "status", "logs", "build", "demo", "train", "evaluate", "predict", "bench", "bench load",
        "bench inference", "token", "audit verify", "fuzz", "fuzz dicom"})
    void helpPrintsUsageAndDoesNothingElse(String command) throws Exception {
        Path home = Files.createTempDirectory("lungflow-help").resolve("state");
        String[] args = (command + " --help").split(" ");

        String out = LocalStackIT.run(Map.of("LUNGFLOW_HOME", home.toString()), Duration.ofMinutes(1), args);

        String first = command.split(" ")[0];
        assertThat(out).containsAnyOf("./lungflow " + first, "Usage: lungflow " + first);
        assertThat(home).as("no state written for --help").doesNotExist();
        Files.delete(home.getParent());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-h", "--help", "help"})
    void theLauncherItselfPrintsEveryCommand(String flag) throws Exception {
        String out = LocalStackIT.run(Map.of(), Duration.ofMinutes(1), flag);
        for (String command : List.of("up", "down", "status", "logs", "build", "demo", "train", "evaluate", "predict", "bench inference",
                "bench load", "token", "audit verify", "fuzz")) {
            assertThat(out).contains("./lungflow " + command);
        }
    }
}
