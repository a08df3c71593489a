package io.lungflow.training.weights;

import io.lungflow.training.arch.MobileNet;
import io.lungflow.training.arch.MobileNetV2;
import io.lungflow.training.arch.SqueezeNet;
import io.lungflow.training.graph.Weights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where each backbone's ImageNet weights are and how they are read: by the file's format (Keras
 * HDF5, TensorFlow.js layers model, ONNX), into the parameter names of lungflow's network.
 */
public final class BackboneWeights {

    private BackboneWeights() {
    }

    /** The file name the weights usually have (in {@code ../shared/weights}, or a directory given as --weights-dir). */
    public static String usualName(String arch) {
        return switch (arch) {
            case SqueezeNet.NAME -> "squeezenet_weights_tf_dim_ordering_tf_kernels_notop.h5";
            case MobileNet.NAME -> "mobilenet_v1_1.0_224_tfjs/model.json";
            case MobileNetV2.NAME -> "mobilenetv2-12-int8.onnx";
            default -> throw new IllegalArgumentException(arch + " has no ImageNet weights");
        };
    }

    /** {@code given} when set, else the usual file in {@code dir} when it exists, else null. */
    public static Path file(String arch, Path given, Path dir) {
        if (given != null) {
            return given;
        }
        if (dir == null) {
            return null;
        }
        Path usual = dir.resolve(usualName(arch));
        return Files.exists(usual) ? usual : null;
    }

    public static Weights load(String arch, Path file) {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(arch + " weights not found at " + file);
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".onnx")) {
            if (!arch.equals(MobileNetV2.NAME)) {
                throw new IllegalArgumentException("ONNX weights map onto mobilenetv2 only, not " + arch + " (" + file + ")");
            }
            return MobileNetV2.weightsFromOnnx(OnnxWeights.load(file));
        }
        if (arch.equals(MobileNetV2.NAME)) {
            throw new IllegalArgumentException("mobilenetv2 reads its ImageNet weights from an ONNX model (with batch normalisation "
                    + "folded), not " + file);
        }
        if (name.endsWith(".json") || Files.isDirectory(file)) {
            return TfjsWeights.load(file);
        }
        return KerasWeights.load(file);
    }
}
