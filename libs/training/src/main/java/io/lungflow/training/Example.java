package io.lungflow.training;

import io.lungflow.imaging.GrayImage;

/** An image and the index of its class. */
public record Example(GrayImage image, int label) {
}
