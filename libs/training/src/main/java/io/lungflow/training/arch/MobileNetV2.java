package io.lungflow.training.arch;

import io.lungflow.training.graph.Layers;
import io.lungflow.training.graph.Params;
import io.lungflow.training.graph.Weights;
import io.lungflow.training.weights.OnnxWeights;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * {@code mobilenetv2}: MobileNetV2, width 1.0 (Sandler et al., 2018), with Keras applications'
 * layer names: {@code Conv1}; 17 inverted residual blocks ({@code expanded_conv}, then
 * {@code block_1} … {@code block_16}), each a 1×1 expansion (none in the first), a 3×3 depthwise
 * and a linear 1×1 projection, with a shortcut where shape allows; {@code Conv_1} to 1,280
 * channels. 3×3 convolutions pad one pixel on every side, as the ONNX weights were trained with.
 *
 * <p>The ImageNet weights come from an ONNX model whose batch normalisation is folded into each
 * convolution's kernel and bias ({@link #weightsFromOnnx}); started from random weights, each
 * convolution is followed by batch normalisation instead.
 */
public final class MobileNetV2 extends Backbone {

    public static final String NAME = "mobilenetv2";
    public static final int DEFAULT_INPUT = 224;
    private static final int FEATURES = 1280;

    /** Expansion factor, output channels, repeats, first stride: the paper's Table 2. */
    private static final int[][] STAGES = {{1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2},
        {6, 320, 1, 1}};

    /** One convolution: its layer name, whether depthwise, kernel side, input and output channels, stride, and whether ReLU6 follows. */
    record Conv(String layer, boolean depthwise, int kernel, long in, long out, int stride, boolean activation) {
    }

    public MobileNetV2(Weights pretrained, Set<String> fineTune, InputScaling scaling, float dropout, int inputSize, float headScale) {
        super(pretrained, fineTune, scaling, dropout, inputSize, headScale);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** An inverted residual block: its convolutions, and whether its input is added to its output. */
    record Block(List<Conv> convs, boolean shortcut) {
    }

    /** The inverted residual blocks, in order. */
    static List<Block> blocks() {
        List<Block> blocks = new ArrayList<>();
        long in = 32;
        for (int[] stage : STAGES) {
            for (int r = 0; r < stage[2]; r++) {
                String name = blocks.isEmpty() ? "expanded_conv" : "block_" + blocks.size();
                long hidden = in * stage[0];
                int stride = r == 0 ? stage[3] : 1;
                List<Conv> convs = new ArrayList<>();
                if (stage[0] != 1) {
                    convs.add(new Conv(name + "_expand", false, 1, in, hidden, 1, true));
                }
                convs.add(new Conv(name + "_depthwise", true, 3, hidden, hidden, stride, true));
                convs.add(new Conv(name + "_project", false, 1, hidden, stage[1], 1, false));
                blocks.add(new Block(convs, stride == 1 && in == stage[1]));
                in = stage[1];
            }
        }
        return blocks;
    }

    private static final Conv FIRST = new Conv("Conv1", false, 3, 3, 32, 2, true);
    private static final Conv LAST = new Conv("Conv_1", false, 1, 320, FEATURES, 1, true);

    /** Every convolution of the body, in order. */
    static List<Conv> convolutions() {
        List<Conv> convs = new ArrayList<>();
        convs.add(FIRST);
        blocks().forEach(b -> convs.addAll(b.convs()));
        convs.add(LAST);
        return convs;
    }

    @Override
    public Operand<TFloat32> logits(Ops tf, Params p, Operand<TFloat32> images, int classes, long seed) {
        Operand<TFloat32> x = conv(tf, p, FIRST, images);
        for (Block block : blocks()) {
            Operand<TFloat32> y = x;
            for (Conv c : block.convs()) {
                y = conv(tf, p, c, y);
            }
            x = block.shortcut() ? tf.math.add(y, x) : y;
        }
        return head(tf, p, conv(tf, p, LAST, x), FEATURES, classes, seed);
    }

    private Operand<TFloat32> conv(Ops tf, Params p, Conv c, Operand<TFloat32> x) {
        boolean folded = pretrained.contains(c.layer() + "/bias");
        Operand<TFloat32> padded = Layers.pad(tf, x, c.kernel() / 2);
        Operand<TFloat32> y = c.depthwise()
                ? Layers.depthwiseConv2d(tf, p, c.layer(), padded, c.kernel(), c.in(), c.stride(), "VALID", folded)
                : Layers.conv2d(tf, p, c.layer(), padded, c.kernel(), c.in(), c.out(), c.stride(), "VALID", folded);
        if (!folded) {
            y = batchNorm(tf, p, c.layer() + "_BN", y, c.out());
        }
        return c.activation() ? Layers.relu6(tf, y) : y;
    }

    /**
     * The body's weights from an ONNX MobileNetV2 (float or 8-bit quantized, batch normalisation
     * folded): its 52 convolutions, in graph order, become this network's layers, kernels
     * transposed from ONNX's [out, in, kh, kw] to [kh, kw, in, out] (depthwise: [kh, kw, channels, 1]).
     * The ImageNet classifier after them is not used.
     */
    public static Weights weightsFromOnnx(OnnxWeights onnx) {
        List<Conv> expected = convolutions();
        List<OnnxWeights.Convolution> found = onnx.convolutions();
        if (found.size() != expected.size()) {
            throw new IllegalArgumentException("A MobileNetV2 has " + expected.size() + " convolutions; the ONNX model has " + found.size());
        }
        Weights out = new Weights();
        for (int i = 0; i < expected.size(); i++) {
            Conv c = expected.get(i);
            OnnxWeights.Convolution f = found.get(i);
            long[] want = c.depthwise() ? new long[] {c.out(), 1, c.kernel(), c.kernel()} : new long[] {c.out(), c.in(), c.kernel(), c.kernel()};
            if (!Arrays.equals(f.kernel().shape(), want) || (c.depthwise() ? f.group() != c.in() : f.group() != 1)
                    || f.strides()[0] != c.stride()) {
                throw new IllegalArgumentException("Layer " + c.layer() + " needs a " + (c.depthwise() ? "depthwise " : "") + "kernel "
                        + Arrays.toString(want) + " of stride " + c.stride() + "; ONNX node " + f.node() + " has " + Arrays.toString(f.kernel().shape())
                        + ", group " + f.group() + ", stride " + f.strides()[0]);
            }
            if (f.bias() == null) {
                throw new IllegalArgumentException("Layer " + c.layer() + ": ONNX node " + f.node() + " has no bias (batch normalisation not folded)");
            }
            out.put(c.layer() + (c.depthwise() ? "/depthwise_kernel" : "/kernel"), toHwio(f.kernel(), c.depthwise()));
            out.put(c.layer() + "/bias", f.bias());
        }
        return out;
    }

    /** [out, in, kh, kw] to [kh, kw, in, out]; a depthwise [channels, 1, kh, kw] becomes [kh, kw, channels, 1]. */
    static Weights.Tensor toHwio(Weights.Tensor oihw, boolean depthwise) {
        long[] s = oihw.shape();
        int o = (int) s[0];
        int in = (int) s[1];
        int h = (int) s[2];
        int w = (int) s[3];
        float[] src = oihw.values();
        float[] dst = new float[src.length];
        for (int a = 0; a < o; a++) {
            for (int b = 0; b < in; b++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        float v = src[((a * in + b) * h + y) * w + x];
                        int index = depthwise ? (y * w + x) * o + a : ((y * w + x) * in + b) * o + a;
                        dst[index] = v;
                    }
                }
            }
        }
        return new Weights.Tensor(depthwise ? new long[] {h, w, o, 1} : new long[] {h, w, in, o}, dst);
    }

    @Override
    public String toString() {
        return "mobilenetv2(" + describe() + ")";
    }
}
