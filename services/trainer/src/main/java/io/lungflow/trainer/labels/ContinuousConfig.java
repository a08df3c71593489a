package io.lungflow.trainer.labels;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Continuous training: runs on the labels radiologists confirm. */
@ConfigMapping(prefix = "lungflow.trainer.continuous")
public interface ContinuousConfig {

    /** A run starts by itself once this many labels arrived since the last run on labels; 0 turns that off (runs on demand still work). */
    @WithDefault("200")
    int minNewLabels();

    /** The model continuous runs train; only labels of its classes are used. */
    @WithDefault("covid-ct")
    String model();

    /** Whether a version trained on labels goes to SHADOW by itself. */
    @WithDefault("true")
    boolean autoShadow();

    /** How often the number of new labels is checked. */
    @WithDefault("30s")
    Duration checkEvery();

    /** Recipe choices for runs on labels; unset means the recipe's default for the dataset. */
    java.util.Optional<String> architecture();

    java.util.Optional<Integer> epochs();

    java.util.Optional<Integer> inputSize();

    /** Fewer confirmed labels than this (of the model's classes) is refused: nothing useful can be trained or measured. */
    @WithDefault("20")
    int minExamples();
}
