package io.lungflow.training;

import io.lungflow.imaging.GrayImage;
import io.lungflow.imaging.Preprocessor;
import io.lungflow.imaging.Resize;
import io.lungflow.training.arch.Architecture;
import io.lungflow.training.graph.ScheduledAdam;
import io.lungflow.training.graph.TrainingParams;
import io.lungflow.training.graph.WeightAverage;
import io.lungflow.training.graph.Weights;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Trains an architecture with TensorFlow Java in graph mode: class-weighted softmax cross-entropy
 * (optionally with smoothed labels) plus L2 decay, Adam with a warm-up and cosine-decayed learning rate, augmentation of every
 * fit example in every epoch, and early stopping on the tune loss, keeping the weights of the best epoch (or, with weight
 * averaging on, their moving average at the best epoch). The next batch is prepared while TensorFlow
 * computes the current one.
 */
public final class ModelTrainer {

    /** Training images are kept at most this many times the input side, so augmenting stays cheap. */
    private static final int WORKING_SCALE = 2;

    public record Outcome(Weights weights, List<TrainingProgress.EpochResult> history, int bestEpoch, double seconds) {
    }

    private ModelTrainer() {
    }

    public static Outcome train(Architecture arch, List<String> classes, List<Example> fit, List<Example> tune, TrainingOptions options,
            TrainingProgress progress) {
        if (fit.isEmpty() || tune.isEmpty()) {
            throw new IllegalArgumentException("Training needs fit and tune examples; got " + fit.size() + " and " + tune.size());
        }
        TensorFlowRuntime.configure();
        long started = System.nanoTime();
        int k = classes.size();
        Preprocessor preprocessor = new Preprocessor(arch.input(), arch.preprocessing());
        List<Example> working = workingCopies(fit, arch);
        float[] classWeight = classWeights(fit, k, options.classWeights());

        ExecutorService prep = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "batch-prep");
            t.setDaemon(true);
            return t;
        });
        try (Graph graph = new Graph(); Session session = new Session(graph, TensorFlowRuntime.config(options.threads()))) {
            Ops tf = Ops.create(graph);
            long h = arch.input().height();
            long w = arch.input().width();
            long c = arch.input().channels();
            Placeholder<TFloat32> images = tf.withName("image").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, h, w, c)));
            Placeholder<TFloat32> labels = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, k)));
            Placeholder<TFloat32> exampleWeights = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));

            TrainingParams params = new TrainingParams(tf, new Random(options.seed()), arch.initialWeights(), arch.trainable(),
                    arch.fromWeights());
            Operand<TFloat32> logits = arch.logits(tf, params, images, k, options.seed());

            Operand<TFloat32> perExample = tf.nn.softmaxCrossEntropyWithLogits(logits, labels).loss();
            Operand<TFloat32> dataLoss = tf.math.div(tf.sum(tf.math.mul(perExample, exampleWeights), tf.constant(0)),
                    tf.sum(exampleWeights, tf.constant(0)));
            Operand<TFloat32> loss = tf.math.add(dataLoss,
                    decay(tf, params.trainableVariables(), arch.initialWeights(), (float) options.weightDecay()));

            List<Variable<TFloat32>> variables = new ArrayList<>(params.trainableVariables().values());
            if (variables.isEmpty()) {
                throw new IllegalArgumentException(arch.name() + " has nothing to train");
            }
            Gradients gradients = tf.gradients(loss, variables);
            List<Output<TFloat32>> grads = new ArrayList<>();
            for (int i = 0; i < variables.size(); i++) {
                grads.add(gradients.dy(i));
            }
            List<Float> scales = params.trainableVariables().keySet().stream().map(arch::learningRateScale).toList();
            ScheduledAdam adam = new ScheduledAdam(tf, variables, grads, scales);
            WeightAverage average = options.averaging() > 0 ? new WeightAverage(tf, params.trainableVariables(), adam.step()) : null;
            // Early stopping judges what would be kept: the averaged weights when averaging is on.
            Map<String, Variable<TFloat32>> kept = average != null ? average.averages() : Map.of();
            Operand<TFloat32> evalLogits = arch.logits(tf, params.evaluation(kept), images, k, options.seed());
            Operand<TFloat32> evalLoss = tf.math.mean(tf.nn.softmaxCrossEntropyWithLogits(evalLogits, labels).loss(), tf.constant(0));
            session.initialize();
            if (average != null) {
                average.reset(session);
            }

            Random shuffle = new Random(options.seed() * 7919 + 1);
            int batch = options.batchSize();
            int steps = (working.size() + batch - 1) / batch;
            int epochs = options.epochsFor(working.size(), arch.input().width());
            long totalSteps = (long) steps * epochs;
            long warmup = Math.min(steps, totalSteps / 10);
            long globalStep = 0;
            List<TrainingProgress.EpochResult> history = new ArrayList<>();
            Weights best = null;
            double bestLoss = Double.POSITIVE_INFINITY;
            int bestEpoch = 0;
            int sinceBest = 0;
            for (int epoch = 1; epoch <= epochs; epoch++) {
                long epochStarted = System.nanoTime();
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < working.size(); i++) {
                    order.add(i);
                }
                Collections.shuffle(order, shuffle);
                Random augment = new Random(options.seed() * 1_000_003L + epoch);
                double lossSum = 0;
                int lossCount = 0;
                CompletableFuture<Batch> next = prepare(prep, working, order, 0, batch, preprocessor, options, augment, classWeight, k);
                for (int s = 0; s < steps; s++) {
                    Batch current = next.join();
                    if (s + 1 < steps) {
                        next = prepare(prep, working, order, (s + 1) * batch, batch, preprocessor, options, augment, classWeight, k);
                    }
                    float rate = ScheduledAdam.cosine(options.learningRate(), globalStep, totalSteps, warmup);
                    float decay = average != null ? WeightAverage.decayAt(options.averaging(), globalStep) : 0f;
                    globalStep++;
                    double batchLoss = runStep(session, images, labels, exampleWeights, current, adam, rate, average, decay,
                            params.stateUpdates(), loss);
                    lossSum += batchLoss * current.size;
                    lossCount += current.size;
                    progress.step(epoch, epochs, s + 1, steps, lossSum / lossCount,
                            (System.nanoTime() - started) / 1e9);
                }
                double tuneLoss = evaluateLoss(session, images, labels, evalLoss, tune, preprocessor, k);
                boolean improved = tuneLoss < bestLoss - 1e-4;
                if (improved) {
                    bestLoss = tuneLoss;
                    best = params.snapshot(session, kept);
                    bestEpoch = epoch;
                    sinceBest = 0;
                } else {
                    sinceBest++;
                }
                TrainingProgress.EpochResult result = new TrainingProgress.EpochResult(epoch, epochs, lossSum / lossCount,
                        tuneLoss, (System.nanoTime() - epochStarted) / 1e9, improved);
                history.add(result);
                progress.epoch(result);
                if (sinceBest >= options.patience()) {
                    break;
                }
            }
            if (best == null) {
                throw new IllegalStateException("Training diverged: the tune loss was never finite (" + history.get(history.size() - 1).tuneLoss()
                        + "); lower the learning rate");
            }
            return new Outcome(best, history, bestEpoch, (System.nanoTime() - started) / 1e9);
        } finally {
            prep.shutdownNow();
        }
    }

    private record Batch(float[] images, float[] labels, float[] weights, int size) {
    }

    private static CompletableFuture<Batch> prepare(ExecutorService prep, List<Example> working, List<Integer> order, int from,
            int batch, Preprocessor preprocessor, TrainingOptions options, Random augment, float[] classWeight, int k) {
        int to = Math.min(order.size(), from + batch);
        // Draw each example's augmentation seed now, in order, so batches stay reproducible.
        long[] seeds = new long[to - from];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = augment.nextLong();
        }
        return CompletableFuture.supplyAsync(() -> {
            int n = to - from;
            float[] x = new float[n * preprocessor.size()];
            float[] y = new float[n * k];
            float[] weights = new float[n];
            for (int i = 0; i < n; i++) {
                Example example = working.get(order.get(from + i));
                GrayImage augmented = options.augmenter().apply(example.image(), new Random(seeds[i]));
                preprocessor.apply(augmented, x, i * preprocessor.size());
                target(y, i * k, example.label(), k, options.labelSmoothing());
                weights[i] = classWeight[example.label()];
            }
            return new Batch(x, y, weights, n);
        }, prep);
    }

    /**
     * Writes an example's training target at {@code offset}: one-hot, or with a share
     * {@code smoothing} of it spread evenly over the {@code k} classes (label smoothing, Szegedy et al., 2016).
     */
    static void target(float[] y, int offset, int label, int k, double smoothing) {
        for (int c = 0; c < k; c++) {
            y[offset + c] = (float) (smoothing / k);
        }
        y[offset + label] += (float) (1 - smoothing);
    }

    private static double runStep(Session session, Placeholder<TFloat32> images, Placeholder<TFloat32> labels,
            Placeholder<TFloat32> weights, Batch batch, ScheduledAdam adam, float rate, WeightAverage average, float decay, List<Op> updates,
            Operand<TFloat32> loss) {
        Placeholder<?> p = images;
        long[] shape = images.shape().asArray();
        try (TFloat32 x = tensor(batch.images, batch.size, shape[1], shape[2], shape[3]);
                TFloat32 y = TFloat32.tensorOf(Shape.of(batch.size, batch.labels.length / batch.size), DataBuffers.of(batch.labels, true, false));
                TFloat32 w = TFloat32.tensorOf(Shape.of(batch.size), DataBuffers.of(batch.weights, true, false));
                TFloat32 lr = TFloat32.scalarOf(rate);
                TFloat32 d = TFloat32.scalarOf(decay)) {
            Session.Runner runner = session.runner().feed(p, x).feed(labels, y).feed(weights, w).feed(adam.learningRate(), lr).fetch(loss);
            if (average != null) {
                runner.feed(average.decay(), d).addTarget(average.update());
            } else {
                runner.addTarget(adam.step());
            }
            updates.forEach(runner::addTarget);
            try (Result result = runner.run()) {
                return ((TFloat32) result.get(0)).getFloat();
            }
        }
    }

    private static double evaluateLoss(Session session, Placeholder<TFloat32> images, Placeholder<TFloat32> labels,
            Operand<TFloat32> evalLoss, List<Example> examples, Preprocessor preprocessor, int k) {
        long[] shape = images.shape().asArray();
        int batch = 32;
        double sum = 0;
        for (int from = 0; from < examples.size(); from += batch) {
            int n = Math.min(batch, examples.size() - from);
            float[] x = new float[n * preprocessor.size()];
            float[] y = new float[n * k];
            for (int i = 0; i < n; i++) {
                Example e = examples.get(from + i);
                preprocessor.apply(e.image(), x, i * preprocessor.size());
                y[i * k + e.label()] = 1;
            }
            try (TFloat32 xt = tensor(x, n, shape[1], shape[2], shape[3]);
                    TFloat32 yt = TFloat32.tensorOf(Shape.of(n, k), DataBuffers.of(y, true, false));
                    Result result = session.runner().feed(images, xt).feed(labels, yt).fetch(evalLoss).run()) {
                sum += ((TFloat32) result.get(0)).getFloat() * n;
            }
        }
        return sum / examples.size();
    }

    static TFloat32 tensor(float[] values, long n, long h, long w, long c) {
        return TFloat32.tensorOf(Shape.of(n, h, w, c), DataBuffers.of(values, true, false));
    }

    /**
     * L2 decay of the kernels trained from scratch. Pretrained kernels are not pulled toward zero,
     * which would erase what they learned on ImageNet.
     */
    private static Operand<TFloat32> decay(Ops tf, Map<String, Variable<TFloat32>> variables, Weights pretrained, float lambda) {
        Operand<TFloat32> total = tf.constant(0f);
        if (lambda <= 0) {
            return total;
        }
        for (Map.Entry<String, Variable<TFloat32>> v : variables.entrySet()) {
            if (v.getKey().endsWith("/kernel") && !pretrained.contains(v.getKey())) {
                total = tf.math.add(total, tf.nn.l2Loss(v.getValue()));
            }
        }
        return tf.math.mul(total, tf.constant(lambda));
    }

    /** Inverse class frequency, normalised so the mean weight over examples is 1. */
    static float[] classWeights(List<Example> fit, int k, boolean enabled) {
        float[] weights = new float[k];
        java.util.Arrays.fill(weights, 1f);
        if (!enabled) {
            return weights;
        }
        int[] counts = new int[k];
        fit.forEach(e -> counts[e.label()]++);
        for (int c = 0; c < k; c++) {
            weights[c] = counts[c] == 0 ? 0f : (float) fit.size() / (k * counts[c]);
        }
        return weights;
    }

    /** Fit images shrunk (never enlarged) so their longer side is at most twice the input's. */
    private static List<Example> workingCopies(List<Example> fit, Architecture arch) {
        int limit = WORKING_SCALE * Math.max(arch.input().height(), arch.input().width());
        List<Example> out = new ArrayList<>(fit.size());
        for (Example e : fit) {
            GrayImage image = e.image();
            int longer = Math.max(image.width(), image.height());
            if (longer > limit) {
                int width = Math.max(1, Math.round((float) image.width() * limit / longer));
                int height = Math.max(1, Math.round((float) image.height() * limit / longer));
                float[] resized = Resize.resize(image, width, height, Resize.Method.AREA);
                byte[] pixels = new byte[resized.length];
                for (int i = 0; i < resized.length; i++) {
                    pixels[i] = (byte) Math.round(Math.max(0, Math.min(255, resized[i])));
                }
                image = new GrayImage(width, height, pixels);
            }
            out.add(new Example(image, e.label()));
        }
        return out;
    }
}
