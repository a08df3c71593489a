package io.lungflow.trainer;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/** Settings of the trainer; each has an environment variable, e.g. {@code LUNGFLOW_TRAINER_SQUEEZENET_WEIGHTS}. */
@ConfigMapping(prefix = "lungflow.trainer")
public interface TrainerConfig {

    /** The SqueezeNet 1.1 ImageNet weights (Keras HDF5), for runs that ask for squeezenet. */
    Optional<String> squeezenetWeights();

    /**
     * Where the backbones' ImageNet weight files are, by their usual names (those of
     * ../shared/weights); without the default recipe's, runs train the cnn.
     */
    Optional<String> weightsDir();

    /** Where datasets are downloaded and model versions written before upload. */
    Optional<String> workDir();

    /** Local directories training runs may read datasets from; none by default (datasets come from S3). */
    Optional<List<String>> datasetRoots();

    /** Bucket of datasets given by prefix. */
    @WithDefault("datasets")
    String datasetsBucket();

    /** TensorFlow threads per run (default: the machine's processors). */
    Optional<Integer> threads();
}
