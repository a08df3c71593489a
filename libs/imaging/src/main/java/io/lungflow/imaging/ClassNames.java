package io.lungflow.imaging;

import java.util.Locale;
import java.util.Map;

/**
 * Normalises class names as datasets spell them ({@code CT_COVID}, {@code NonCOVID},
 * {@code Viral Pneumonia}, {@code COVID-19}) to lungflow's ({@code covid}, {@code non-covid},
 * {@code viral-pneumonia}). A class map from the command line comes first.
 */
public final class ClassNames {

    private ClassNames() {
    }

    public static String normalise(String raw, Map<String, String> classMap) {
        String mapped = classMap.get(raw);
        if (mapped != null) {
            return canonical(mapped);
        }
        String c = canonical(raw);
        if (c.startsWith("ct-")) {
            c = c.substring(3);
        }
        return switch (c) {
            case "covid", "covid-19", "covid19", "covid-positive", "positive" -> "covid";
            case "non-covid", "noncovid", "non-covid-19", "noncovid-19", "covid-negative", "negative", "not-covid" -> "non-covid";
            case "normal", "healthy" -> "normal";
            case "viral-pneumonia", "pneumonia-viral", "viralpneumonia" -> "viral-pneumonia";
            case "bacterial-pneumonia", "pneumonia-bacterial" -> "bacterial-pneumonia";
            default -> c;
        };
    }

    /** Lower case, words joined by single hyphens, other characters dropped. */
    public static String canonical(String raw) {
        String spaced = raw.replaceAll("([a-z])([A-Z])", "$1-$2");
        return spaced.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    }
}
