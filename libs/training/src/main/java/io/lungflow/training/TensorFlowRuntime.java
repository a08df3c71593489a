package io.lungflow.training;

import java.nio.file.Files;
import java.nio.file.Path;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;

/**
 * Where TensorFlow's native libraries come from and how many threads it uses. The natives are the
 * directory named by {@code TENSORFLOW_LIBRARY_PATH} (the same TF 2.16.1 build inference serves
 * with), never extracted from the classpath. TensorFlow sees the host's cores, not a container's
 * share, so thread counts are set explicitly.
 */
public final class TensorFlowRuntime {

    private static volatile boolean configured;

    private TensorFlowRuntime() {
    }

    /** Points TensorFlow Java at the natives; call before the first TensorFlow class is used. */
    public static synchronized void configure() {
        if (configured) {
            return;
        }
        String dir = System.getenv("TENSORFLOW_LIBRARY_PATH");
        if (dir == null || dir.isBlank()) {
            dir = System.getProperty("TENSORFLOW_LIBRARY_PATH");
        }
        if (dir == null || !Files.isRegularFile(Path.of(dir, "libjnitensorflow.so"))) {
            throw new IllegalStateException("TensorFlow's native libraries are not where TENSORFLOW_LIBRARY_PATH points ("
                    + dir + "). Build the project first (mvn -DskipTests package), which unpacks them into target/tensorflow/cpu.");
        }
        System.setProperty("org.bytedeco.javacpp.platform.preloadpath", dir);
        System.setProperty("org.bytedeco.javacpp.maxBytes", "0");
        System.setProperty("org.bytedeco.javacpp.maxPhysicalBytes", "0");
        configured = true;
    }

    /**
     * Session settings: {@code threads} for one operation, two operations at a time. With GPU
     * natives (see README, "Training on a GPU") an operation without a GPU kernel falls back to the
     * CPU, and GPU memory is taken as needed rather than all at once.
     */
    public static ConfigProto config(int threads) {
        return ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(threads)
                .setInterOpParallelismThreads(Math.min(2, threads))
                .setAllowSoftPlacement(true)
                .setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true))
                .build();
    }

    public static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }
}
