package io.lungflow.training.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lungflow.training.graph.Weights;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Reads the weights of a TensorFlow.js layers model: {@code model.json}, whose
 * {@code weightsManifest} lists groups of weight files (shards, read one after the other as one
 * buffer) and, in order, the tensors each group holds (name, shape, dtype), little-endian. Float32
 * tensors are read as they are; 8- and 16-bit integer quantized ones ({@code quantization: {dtype:
 * uint8 or uint16, scale, min}}) as {@code q × scale + min}. Tensor names are the Keras layer names with the weight's name
 * ({@code conv_pw_3/kernel}), which is what lungflow's architectures call their parameters. A
 * group whose weight files are all absent is left out (a network that needs its tensors then fails
 * naming the layer); one whose files are partly there, or hold too few or too many bytes, fails.
 */
public final class TfjsWeights {

    private TfjsWeights() {
    }

    /** @param model {@code model.json}, or the directory that holds it */
    public static Weights load(Path model) {
        Path json = Files.isDirectory(model) ? model.resolve("model.json") : model;
        if (!Files.isRegularFile(json)) {
            throw new IllegalArgumentException("No TensorFlow.js model at " + json);
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read " + json + " as JSON: " + e.getMessage(), e);
        }
        JsonNode manifest = root.path("weightsManifest");
        if (!manifest.isArray() || manifest.isEmpty()) {
            throw new IllegalArgumentException(json + " has no weightsManifest");
        }
        Weights weights = new Weights();
        Path dir = json.toAbsolutePath().normalize().getParent();
        for (JsonNode group : manifest) {
            if (allMissing(dir, group.path("paths"))) {
                // A group whose files are all absent is left out: a network that needs its tensors fails naming them.
                continue;
            }
            ByteBuffer buffer = ByteBuffer.wrap(readShards(dir, group.path("paths"), json)).order(ByteOrder.LITTLE_ENDIAN);
            for (JsonNode spec : group.path("weights")) {
                String name = spec.path("name").asText();
                long[] shape = shape(spec.path("shape"));
                int count = count(shape, name);
                float[] values = new float[count];
                String dtype = spec.path("dtype").asText("float32");
                JsonNode quantization = spec.path("quantization");
                String stored = quantization.isMissingNode() ? dtype : quantization.path("dtype").asText();
                int bytes = count * bytesPer(stored, name);
                if (buffer.remaining() < bytes) {
                    throw new IllegalArgumentException("Tensor " + name + " " + Arrays.toString(shape) + " needs " + bytes + " bytes, but "
                            + group.path("paths") + " hold only " + buffer.remaining() + " more");
                }
                if (quantization.isMissingNode()) {
                    if (!dtype.equals("float32")) {
                        throw new IllegalArgumentException("Tensor " + name + " is " + dtype + "; only float32 weights can be used");
                    }
                    buffer.asFloatBuffer().get(values);
                    buffer.position(buffer.position() + bytes);
                } else {
                    double scale = quantization.path("scale").asDouble();
                    double min = quantization.path("min").asDouble();
                    for (int i = 0; i < count; i++) {
                        int q = stored.equals("uint8") ? Byte.toUnsignedInt(buffer.get()) : Short.toUnsignedInt(buffer.getShort());
                        values[i] = (float) (q * scale + min);
                    }
                }
                weights.put(name, new Weights.Tensor(shape, values));
            }
            if (buffer.hasRemaining()) {
                throw new IllegalArgumentException(group.path("paths") + " hold " + buffer.remaining()
                        + " bytes more than the manifest's tensors " + names(group));
            }
        }
        return weights;
    }

    private static boolean allMissing(Path dir, JsonNode paths) {
        for (JsonNode p : paths) {
            if (Files.exists(dir.resolve(p.asText()))) {
                return false;
            }
        }
        return !paths.isEmpty();
    }

    private static byte[] readShards(Path dir, JsonNode paths, Path json) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (JsonNode p : paths) {
            Path shard = dir.resolve(p.asText()).normalize();
            if (!shard.startsWith(dir)) {
                throw new IllegalArgumentException(json + " names a weight file outside its directory: " + p.asText());
            }
            if (!Files.isRegularFile(shard)) {
                throw new IllegalArgumentException("Weight file " + shard + ", named in " + json + ", is missing");
            }
            try {
                all.write(Files.readAllBytes(shard));
            } catch (IOException e) {
                throw new IllegalArgumentException("Cannot read " + shard + ": " + e.getMessage(), e);
            }
        }
        return all.toByteArray();
    }

    private static long[] shape(JsonNode shape) {
        long[] out = new long[shape.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = shape.get(i).asLong();
        }
        return out;
    }

    private static int count(long[] shape, String name) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("Tensor " + name + " has a negative dimension " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n > Integer.MAX_VALUE / 4) {
            throw new IllegalArgumentException("Tensor " + name + " " + Arrays.toString(shape) + " is too large");
        }
        return (int) n;
    }

    private static int bytesPer(String dtype, String name) {
        return switch (dtype.toLowerCase(Locale.ROOT)) {
            case "float32", "int32" -> 4;
            case "uint16" -> 2;
            case "uint8" -> 1;
            default -> throw new IllegalArgumentException("Tensor " + name + " is stored as " + dtype + ", which is not supported");
        };
    }

    private static String names(JsonNode group) {
        StringBuilder out = new StringBuilder("[");
        group.path("weights").forEach(w -> out.append(out.length() > 1 ? ", " : "").append(w.path("name").asText()));
        return out.append("]").toString();
    }
}
