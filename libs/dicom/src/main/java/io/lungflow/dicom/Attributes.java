package io.lungflow.dicom;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A data set: elements in tag order. Values are kept as encoded (little endian); the getters
 * decode the types lungflow needs whatever the element's VR was, so implicit-VR data sets read the
 * same as explicit ones.
 */
public final class Attributes {

    private final TreeMap<Integer, DicomElement> elements = new TreeMap<>(Integer::compareUnsigned);

    public void put(DicomElement element) {
        elements.put(element.tag(), element);
    }

    public Attributes putString(int tag, VR vr, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.ISO_8859_1);
        if (bytes.length % 2 != 0) {
            byte[] padded = new byte[bytes.length + 1];
            System.arraycopy(bytes, 0, padded, 0, bytes.length);
            padded[bytes.length] = (byte) (vr == VR.UI ? 0 : ' ');
            bytes = padded;
        }
        put(DicomElement.of(tag, vr, bytes));
        return this;
    }

    public Attributes putUnsignedShort(int tag, int value) {
        put(DicomElement.of(tag, VR.US, ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) value).array()));
        return this;
    }

    public Attributes putBytes(int tag, VR vr, byte[] value) {
        put(DicomElement.of(tag, vr, value));
        return this;
    }

    public Optional<DicomElement> get(int tag) {
        return Optional.ofNullable(elements.get(tag));
    }

    public boolean contains(int tag) {
        return elements.containsKey(tag);
    }

    public DicomElement remove(int tag) {
        return elements.remove(tag);
    }

    public Collection<DicomElement> elements() {
        return Collections.unmodifiableCollection(elements.values());
    }

    public int size() {
        return elements.size();
    }

    /** The value as text, without padding, or null when absent or empty. For multi-valued text, every value joined by '\'. */
    public String getString(int tag) {
        DicomElement e = elements.get(tag);
        if (e == null || e.value() == null || e.value().length == 0) {
            return null;
        }
        String s = new String(e.value(), StandardCharsets.ISO_8859_1);
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\0')) {
            end--;
        }
        int start = 0;
        while (start < end && s.charAt(start) == ' ') {
            start++;
        }
        return end == start ? null : s.substring(start, end);
    }

    /** An unsigned 16-bit value (US), or {@code fallback} when absent. */
    public int getUnsignedShort(int tag, int fallback) {
        DicomElement e = elements.get(tag);
        if (e == null || e.value() == null || e.value().length < 2) {
            return fallback;
        }
        return (e.value()[0] & 0xFF) | (e.value()[1] & 0xFF) << 8;
    }

    /** A number from a DS or IS value (the first of several), or {@code fallback} when absent or not a number. */
    public double getDecimal(int tag, double fallback) {
        List<Double> all = getDecimals(tag);
        return all.isEmpty() ? fallback : all.get(0);
    }

    /** Every number of a multi-valued DS or IS value; empty when absent. */
    public List<Double> getDecimals(int tag) {
        String s = getString(tag);
        if (s == null) {
            return List.of();
        }
        try {
            return java.util.Arrays.stream(s.split("\\\\")).map(String::strip).filter(v -> !v.isEmpty()).map(Double::valueOf).toList();
        } catch (NumberFormatException e) {
            return List.of();
        }
    }

    /** An integer from an IS value, or {@code fallback}. */
    public int getInteger(int tag, int fallback) {
        double d = getDecimal(tag, Double.NaN);
        return Double.isNaN(d) ? fallback : (int) d;
    }
}
