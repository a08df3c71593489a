package io.lungflow.inference.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.lungflow.inference.InferenceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import org.jboss.logging.Logger;
import org.tensorflow.proto.ConfigProto;

/**
 * The DJL TensorFlow engine, set up once: offline (nothing is ever downloaded), natives from
 * {@code TENSORFLOW_LIBRARY_PATH}, explicit thread counts. Logs the TensorFlow version and the
 * device models run on.
 */
@ApplicationScoped
public class TensorFlowEngine {

    private static final Logger LOG = Logger.getLogger(TensorFlowEngine.class);
    public static final String NAME = "TensorFlow";

    private final String sessionConfig;
    private volatile Engine engine;

    public TensorFlowEngine(InferenceConfig config) {
        this.sessionConfig = Base64.getEncoder().encodeToString(ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(config.intraOpThreads())
                .setInterOpParallelismThreads(config.interOpThreads())
                .build()
                .toByteArray());
    }

    /** Starts the engine on first use; fails with a clear message when the natives are missing. */
    public synchronized Engine engine() {
        if (engine == null) {
            System.setProperty("ai.djl.offline", "true");
            String dir = libraryPath();
            if (dir == null || !Files.isRegularFile(Path.of(dir, "libjnitensorflow.so"))) {
                throw new IllegalStateException("TensorFlow's native libraries are not where TENSORFLOW_LIBRARY_PATH points (" + dir
                        + "). Build with mvn package (which unpacks them into target/tensorflow/cpu), or -Pgpu for CUDA.");
            }
            engine = Engine.getEngine(NAME);
            Device[] devices = engine.getDevices();
            LOG.infof("DJL %s, TensorFlow %s from %s, devices %s (models run on %s)", Engine.getDjlVersion(), engine.getVersion(), dir,
                    Arrays.toString(devices), engine.defaultDevice());
        }
        return engine;
    }

    /** The session configuration models are loaded with (thread counts), serialised as DJL takes it. */
    public String sessionConfig() {
        return sessionConfig;
    }

    public String device() {
        return engine().defaultDevice().toString();
    }

    private static String libraryPath() {
        String env = System.getenv("TENSORFLOW_LIBRARY_PATH");
        return env != null && !env.isBlank() ? env : System.getProperty("TENSORFLOW_LIBRARY_PATH");
    }
}
