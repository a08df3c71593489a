package io.lungflow.training.arch;

import io.lungflow.schemas.ModelManifest;
import java.util.List;

/** How a pretrained network's input pixels (0…255, the gray value repeated in three channels) are scaled, as it was trained. */
public enum InputScaling {
    /** 0…255 minus the per-channel (BGR) ImageNet mean, as Caffe and Keras' VGG-style ports. */
    CAFFE(new ModelManifest.Normalization(1.0, List.of(103.939, 116.779, 123.68), List.of(1.0, 1.0, 1.0))),
    /** To −1…1, as Keras' MobileNets and Inception ("tf" mode). */
    UNIT(new ModelManifest.Normalization(2 / 255.0, List.of(1.0), List.of(1.0))),
    /** To 0…1, then the ImageNet mean and standard deviation per (RGB) channel, as torchvision and the ONNX model zoo. */
    IMAGENET(new ModelManifest.Normalization(1 / 255.0, List.of(0.485, 0.456, 0.406), List.of(0.229, 0.224, 0.225)));

    private final ModelManifest.Normalization normalization;

    InputScaling(ModelManifest.Normalization normalization) {
        this.normalization = normalization;
    }

    public ModelManifest.Preprocessing preprocessing() {
        return new ModelManifest.Preprocessing("grayscale", "area", normalization, null);
    }
}
