package io.lungflow.training.graph;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Named parameter values with their shapes: what training produces and export consumes. */
public final class Weights {

    /** One tensor's values, row-major. */
    public record Tensor(long[] shape, float[] values) {

        public Tensor {
            long size = 1;
            for (long d : shape) {
                size *= d;
            }
            if (size != values.length) {
                throw new IllegalArgumentException("Shape " + Arrays.toString(shape) + " needs " + size + " values, got " + values.length);
            }
        }
    }

    private final Map<String, Tensor> tensors = new LinkedHashMap<>();

    public Weights put(String name, Tensor tensor) {
        tensors.put(name, tensor);
        return this;
    }

    public Tensor get(String name) {
        return tensors.get(name);
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    public Map<String, Tensor> all() {
        return Collections.unmodifiableMap(tensors);
    }

    /** Number of scalar parameters. */
    public long size() {
        return tensors.values().stream().mapToLong(t -> t.values().length).sum();
    }
}
