package io.lungflow.training.dataset;

import java.util.Locale;

/**
 * What a dataset holds, which decides the recipe a run uses by default: CT slices, chest X-rays
 * of two classes, or chest X-rays of three (COVID / normal / viral pneumonia).
 */
public enum DatasetKind {
    CT,
    XRAY,
    XRAY_3CLASS;

    /**
     * From the dataset: more than two classes are the three-class X-ray task; a name that says
     * X-ray or radiograph ({@code covid-radiography}, {@code covid19-xray-3class}) is X-ray;
     * anything else is taken for CT. {@code --kind} overrides this.
     */
    public static DatasetKind of(Dataset dataset) {
        String name = dataset.name().toLowerCase(Locale.ROOT);
        boolean xray = name.contains("xray") || name.contains("x-ray") || name.contains("radiograph") || name.contains("cxr");
        if (dataset.classes().size() > 2) {
            return XRAY_3CLASS;
        }
        return xray ? XRAY : CT;
    }

    public static DatasetKind parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT).replace('_', '-')) {
            case "ct" -> CT;
            case "xray", "x-ray" -> XRAY;
            case "xray-3class", "x-ray-3class", "xray3" -> XRAY_3CLASS;
            default -> throw new IllegalArgumentException("Unknown dataset kind '" + text + "'; use ct, xray or xray-3class");
        };
    }
}
