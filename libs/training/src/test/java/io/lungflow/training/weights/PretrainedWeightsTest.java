package io.lungflow.training.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lungflow.training.ModelExporter;
import io.lungflow.training.TensorFlowRuntime;
import io.lungflow.training.arch.Architecture;
import io.lungflow.training.arch.Backbone;
import io.lungflow.training.arch.InputScaling;
import io.lungflow.training.arch.MobileNet;
import io.lungflow.training.arch.MobileNetV2;
import io.lungflow.training.arch.SqueezeNet;
import io.lungflow.training.graph.TrainingParams;
import io.lungflow.training.graph.Weights;
import io.lungflow.training.weights.onnx.Onnx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Each weight file format, written by the test as the tool that makes it would (a TensorFlow.js
 * layers model, a Keras HDF5 file, an ONNX model with float and 8-bit quantized initializers), is
 * read into the backbone's parameters by name and shape: every tensor reaches the variable of its
 * name in the exported SavedModel, and a missing or misshaped tensor fails naming its layer.
 */
class PretrainedWeightsTest {

    private static final Set<String> ALL = Set.of(Backbone.ALL);

    @TempDir
    Path dir;

    static MobileNet mobileNet(Weights w) {
        return new MobileNet(w, ALL, InputScaling.UNIT, 0.5f, 32, 1f, MobileNet.Top.FRESH);
    }

    @Test
    void aTensorFlowJsModelLoadsEveryTensorIntoItsLayer() throws Exception {
        Weights body = WeightFiles.randomBody(mobileNet(new Weights()), 1);
        Path json = WeightFiles.tfjs(dir.resolve("tfjs"), body, 4);

        Weights loaded = BackboneWeights.load(MobileNet.NAME, json);

        assertSame(loaded, body);
        assertLandsInTheSavedModel(mobileNet(loaded), body);
    }

    @Test
    void aKerasHdf5FileLoadsEveryTensorIntoItsLayer() throws Exception {
        Weights body = WeightFiles.randomBody(mobileNet(new Weights()), 2);
        Path h5 = WeightFiles.kerasH5(dir.resolve("mobilenet_notop.h5"), body);

        Weights loaded = BackboneWeights.load(MobileNet.NAME, h5);

        assertSame(loaded, body);
        assertLandsInTheSavedModel(mobileNet(loaded), body);
    }

    @Test
    void anOnnxModelWithFloatAndQuantizedConvolutionsLoadsIntoMobileNetV2() throws Exception {
        MobileNetV2 shape = new MobileNetV2(new Weights(), ALL, InputScaling.IMAGENET, 0.5f, 32, 1f);
        OnnxMobileNetV2 onnx = OnnxMobileNetV2.write(dir.resolve("mobilenetv2.onnx"), shape, 3, null);

        Weights loaded = BackboneWeights.load(MobileNetV2.NAME, onnx.file());

        assertSame(loaded, onnx.expected());
        MobileNetV2 pretrained = new MobileNetV2(loaded, ALL, InputScaling.IMAGENET, 0.5f, 32, 1f);
        assertLandsInTheSavedModel(pretrained, onnx.expected());
    }

    @Test
    void aRunStartsFromAVersionTrainedFromTheOnnxWeightsWithTheirFoldedLayout() throws Exception {
        MobileNetV2 shape = new MobileNetV2(new Weights(), ALL, InputScaling.IMAGENET, 0.5f, 32, 1f);
        OnnxMobileNetV2 onnx = OnnxMobileNetV2.write(dir.resolve("mobilenetv2.onnx"), shape, 8, null);
        MobileNetV2 pretrained = new MobileNetV2(BackboneWeights.load(MobileNetV2.NAME, onnx.file()), ALL, InputScaling.IMAGENET, 0.5f, 32, 1f);
        Weights trained = build(pretrained);
        Path version = dir.resolve("version");
        ModelExporter.exportSavedModel(pretrained, trained, 2, version);
        ModelExporter.finish(version, ModelExporter.manifest(pretrained, "t", "1", List.of("covid", "non-covid"), "covid", 0.5, Map.of(), null));

        io.lungflow.training.TrainingRecipe.Choice choice = io.lungflow.training.TrainingRecipe.choose(new io.lungflow.training.TrainingRecipe.Overrides(
                MobileNetV2.NAME, 1, null, null, null, null, 32, null, null, version, null, null, null, null, false, false, false, 1, null, null,
                null, null, 1), io.lungflow.training.dataset.DatasetKind.CT);
        Architecture next = choice.architecture().apply(new io.lungflow.training.dataset.Dataset("ct", dir, "class-folders",
                List.of("covid", "non-covid"), List.of(), List.of()));

        // Every parameter, the folded biases and the head included, starts where the version ended.
        assertSame(next.initialWeights(), trained);
        assertThat(choice.note()).contains("starting from the trained weights of " + version);
    }

    @Test
    void anOnnxConvolutionOfTheWrongShapeFailsNamingTheLayer() throws Exception {
        MobileNetV2 shape = new MobileNetV2(new Weights(), ALL, InputScaling.IMAGENET, 0.5f, 32, 1f);
        OnnxMobileNetV2 onnx = OnnxMobileNetV2.write(dir.resolve("bad.onnx"), shape, 3, "block_2_expand");

        assertThatThrownBy(() -> BackboneWeights.load(MobileNetV2.NAME, onnx.file()))
                .hasMessageContaining("Layer block_2_expand needs a kernel [144, 24, 1, 1]");
    }

    @Test
    void aMissingTensorFailsNamingTheLayer() throws Exception {
        Weights body = WeightFiles.randomBody(mobileNet(new Weights()), 4);
        Weights lacking = without(body, "conv_pw_5/kernel");
        Path json = WeightFiles.tfjs(dir.resolve("lacking"), lacking, 3);

        assertThatThrownBy(() -> build(mobileNet(BackboneWeights.load(MobileNet.NAME, json))))
                .hasMessageContaining("Layer conv_pw_5: the weights lack conv_pw_5/kernel");
    }

    @Test
    void aMisshapedTensorFailsNamingTheLayer() throws Exception {
        Weights body = WeightFiles.randomBody(mobileNet(new Weights()), 5);
        Weights wrong = new Weights();
        body.all().forEach((name, t) -> wrong.put(name, name.equals("conv_dw_3/depthwise_kernel")
                ? new Weights.Tensor(new long[] {3, 3, 64, 1}, new float[3 * 3 * 64]) : t));
        Path json = WeightFiles.tfjs(dir.resolve("wrong"), wrong, 5);

        assertThatThrownBy(() -> build(mobileNet(BackboneWeights.load(MobileNet.NAME, json))))
                .hasMessageContaining("Layer conv_dw_3: the initial conv_dw_3/depthwise_kernel has shape [3, 3, 64, 1], the network needs [3, 3, 128, 1]");
    }

    @Test
    void theSharedMobileNetCopyLacksOnlyTheLastPointwiseKernelWhichTopFreshTrainsAndTopCutLeavesOut() throws Exception {
        Weights body = WeightFiles.randomBody(mobileNet(new Weights()), 6);
        Weights lacking = without(body, "conv_pw_13/kernel");
        Weights loaded = BackboneWeights.load(MobileNet.NAME, WeightFiles.tfjs(dir.resolve("shared-like"), lacking, 2));

        Weights fresh = build(mobileNet(loaded));
        assertThat(fresh.contains("conv_pw_13/kernel")).isTrue();
        Weights cut = build(new MobileNet(loaded, ALL, InputScaling.UNIT, 0.5f, 32, 1f, MobileNet.Top.CUT));
        assertThat(cut.contains("conv_pw_13/kernel")).isFalse();
        assertThat(cut.get("head/kernel").shape()).containsExactly(1024, 2);
    }

    @Test
    void squeezeNetsOlderKerasNamesAreReadByRank() throws Exception {
        SqueezeNet shape = new SqueezeNet(new Weights(), ALL, InputScaling.UNIT, 0.5f, 64, 1f);
        Weights body = WeightFiles.randomBody(shape, 7);
        Path file = dir.resolve("squeezenet.h5");
        try (io.jhdf.WritableHdfFile h5 = io.jhdf.HdfFile.write(file)) {
            int n = 1;
            Map<String, io.jhdf.api.WritableGroup> tops = new java.util.HashMap<>();
            for (String layer : body.all().keySet().stream().map(k -> k.substring(0, k.lastIndexOf('/'))).distinct().toList()) {
                String[] parts = layer.split("/");
                io.jhdf.api.WritableGroup group = tops.computeIfAbsent(parts[0], h5::putGroup);
                for (int i = 1; i < parts.length; i++) {
                    group = group.putGroup(parts[i]);
                }
                // As the port wrote them: a uniformN kernel, and the bias named <layer>_b (fire2/expand1x1_b: one group deeper).
                group.putDataset("uniform" + n++, WeightFiles.nested(body.get(layer + "/kernel")));
                io.jhdf.api.WritableGroup inner = group;
                for (int i = 0; i < parts.length - 1; i++) {
                    inner = inner.putGroup(parts[i]);
                }
                inner.putDataset(parts[parts.length - 1] + "_b", WeightFiles.nested(body.get(layer + "/bias")));
            }
        }
        assertSame(io.lungflow.training.arch.SqueezeNetWeights.load(file), body);
    }

    static Weights without(Weights weights, String parameter) {
        Weights out = new Weights();
        weights.all().forEach((name, t) -> {
            if (!name.equals(parameter)) {
                out.put(name, t);
            }
        });
        return out;
    }

    static void assertSame(Weights actual, Weights expected) {
        assertThat(actual.all().keySet()).containsExactlyInAnyOrderElementsOf(expected.all().keySet());
        expected.all().forEach((name, t) -> {
            assertThat(actual.get(name).shape()).as(name).containsExactly(t.shape());
            assertValues(name, actual.get(name).values(), t.values());
        });
    }

    /** Element by element (AssertJ's array comparison with an offset is quadratic on a mismatch). */
    static void assertValues(String name, float[] actual, float[] expected) {
        assertThat(actual.length).as(name).isEqualTo(expected.length);
        for (int i = 0; i < expected.length; i++) {
            if (Math.abs(actual[i] - expected[i]) > 1e-6f) {
                throw new AssertionError(name + "[" + i + "] is " + actual[i] + ", expected " + expected[i]);
            }
        }
    }

    /** Exports the network started from {@code weights}, reads its SavedModel's variables back, and finds each tensor of the file there. */
    private void assertLandsInTheSavedModel(Architecture arch, Weights fromFile) throws Exception {
        Weights all = build(arch);
        Path out = dir.resolve("exported-" + arch.name());
        ModelExporter.exportSavedModel(arch, all, 2, out);
        ModelExporter.finish(out, ModelExporter.manifest(arch, "t", "1", List.of("covid", "non-covid"), "covid", 0.5, Map.of(), null));
        Weights back = SavedModelWeights.read(out, arch, 2);
        fromFile.all().forEach((name, t) -> assertValues(name, back.get(name).values(), t.values()));
        assertThat(back.contains("head/kernel")).isTrue();
    }

    /** Builds the training graph as a run does (pretrained parameters required) and returns every starting value. */
    static Weights build(Architecture arch) {
        TensorFlowRuntime.configure();
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Ops tf = Ops.create(graph);
            Placeholder<TFloat32> x = tf.placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, arch.input().height(), arch.input().width(), arch.input().channels())));
            TrainingParams params = new TrainingParams(tf, new Random(1), arch.initialWeights(), arch.trainable(), arch.fromWeights());
            arch.logits(tf, params, x, 2, 1);
            session.initialize();
            return params.snapshot(session);
        }
    }
}
