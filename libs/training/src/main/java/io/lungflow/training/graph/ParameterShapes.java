package io.lungflow.training.graph;

import io.lungflow.training.TensorFlowRuntime;
import io.lungflow.training.arch.Architecture;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** The name and shape of every parameter an architecture's serving graph reads, found by building it once. */
public final class ParameterShapes implements Params {

    private final Ops tf;
    private final Map<String, long[]> shapes = new LinkedHashMap<>();

    private ParameterShapes(Ops tf) {
        this.tf = tf;
    }

    public static Map<String, long[]> of(Architecture arch, int classes) {
        TensorFlowRuntime.configure();
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            ParameterShapes recorder = new ParameterShapes(tf);
            Placeholder<TFloat32> images = tf.placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, arch.input().height(), arch.input().width(), arch.input().channels())));
            arch.logits(tf, recorder, images, classes, 0);
            return recorder.shapes;
        }
    }

    @Override
    public Operand<TFloat32> weight(String name, long[] shape, Init init) {
        shapes.putIfAbsent(name, shape.clone());
        return tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(shape)));
    }

    @Override
    public Operand<TFloat32> state(String name, long[] shape, Init init) {
        return weight(name, shape, init);
    }

    @Override
    public void update(String name, Operand<TFloat32> value) {
        // Nothing is run.
    }

    @Override
    public boolean training() {
        return false;
    }
}
