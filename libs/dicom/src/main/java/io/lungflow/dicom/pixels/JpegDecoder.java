package io.lungflow.dicom.pixels;

import io.lungflow.dicom.DicomException;

/**
 * Decodes the single-component (grayscale) JPEG streams DICOM carries that the JDK cannot:
 * Huffman-coded sequential DCT with 8- or 12-bit samples (processes 1, 2 and 4; ITU-T T.81 Annex
 * F) and lossless with any of the seven predictors (process 14; Annex H), 2 to 16 bits. Anything
 * else (progressive, hierarchical, arithmetic coding, several components) is refused with a
 * {@link DicomException} naming it. Malformed or truncated streams end in a DicomException too,
 * never in another exception and never in an allocation the header did not justify.
 */
final class JpegDecoder {

    /** The decoded samples, row by row, at the stream's precision. */
    record Image(int width, int height, int precision, int[] samples) {
    }

    /** Natural (row-major) position of the k-th coefficient in zig-zag order (T.81 Figure A.6). */
    private static final int[] ZIGZAG = {
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
        35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63};

    /** IDCT basis: COS[x][u] = C(u)/2 · cos((2x+1)uπ/16), C(0) = 1/√2 (T.81 A.3.3). */
    private static final double[][] COS = new double[8][8];

    static {
        for (int x = 0; x < 8; x++) {
            for (int u = 0; u < 8; u++) {
                COS[x][u] = (u == 0 ? Math.sqrt(0.5) : 1.0) / 2 * Math.cos((2 * x + 1) * u * Math.PI / 16);
            }
        }
    }

    private final byte[] data;
    private int pos;
    private final Huffman[] dcTables = new Huffman[4];
    private final Huffman[] acTables = new Huffman[4];
    private final int[][] quantization = new int[4][];
    private int restartInterval;
    private int frameType = -1;
    private int precision;
    private int width;
    private int height;
    private int componentTable;
    private int[] samples;

    private final int expectedWidth;
    private final int expectedHeight;

    private JpegDecoder(byte[] data, int expectedWidth, int expectedHeight) {
        this.data = data;
        this.expectedWidth = expectedWidth;
        this.expectedHeight = expectedHeight;
    }

    /** Decodes {@code data}, whose frame must be {@code width}×{@code height} (the DICOM header's Columns and Rows). */
    static Image decode(byte[] data, int width, int height) throws DicomException {
        try {
            return new JpegDecoder(data, width, height).run();
        } catch (ArrayIndexOutOfBoundsException e) {
            throw new DicomException("The JPEG stream is truncated or malformed", e);
        }
    }

    private Image run() throws DicomException {
        if (data.length < 4 || u8(0) != 0xFF || u8(1) != 0xD8) {
            throw new DicomException("The JPEG stream does not start with SOI");
        }
        pos = 2;
        while (true) {
            int marker = nextMarker();
            switch (marker) {
                case 0xD9 -> {
                    if (samples == null) {
                        throw new DicomException("The JPEG stream ends before any scan");
                    }
                    return new Image(width, height, precision, samples);
                }
                case 0xC4 -> huffmanTables(segment());
                case 0xDB -> quantizationTables(segment());
                case 0xDD -> {
                    int at = segment();
                    restartInterval = u16(at);
                }
                case 0xC0, 0xC1, 0xC3 -> frame(marker, segment());
                case 0xC2, 0xC6, 0xCA, 0xCE -> throw new DicomException("Progressive JPEG is not decoded");
                case 0xC5, 0xC7, 0xCD, 0xCF -> throw new DicomException("Hierarchical JPEG is not decoded");
                case 0xC9, 0xCB -> throw new DicomException("Arithmetic-coded JPEG is not decoded");
                case 0xDA -> {
                    if (samples != null) {
                        throw new DicomException("A JPEG stream of more than one scan is not decoded");
                    }
                    scan(segment());
                }
                default -> segment(); // APPn, COM, DNL-free streams' other markers: skipped
            }
        }
    }

    /** The next marker's code, skipping fill bytes; the position is left after it. */
    private int nextMarker() throws DicomException {
        pos = markerCode(pos);
        if (pos >= data.length) {
            throw new DicomException("The JPEG stream is truncated: it ends without EOI");
        }
        return u8(pos++);
    }

    /** Reads a marker segment's length; returns where its body starts and moves past it. */
    private int segment() throws DicomException {
        int length = u16(pos);
        if (length < 2 || pos + length > data.length) {
            throw new DicomException("A JPEG marker segment of length " + length + " runs past the end of the stream");
        }
        int body = pos + 2;
        pos += length;
        return body;
    }

    private void huffmanTables(int at) throws DicomException {
        while (at < pos) {
            int tcTh = u8(at);
            int tableClass = tcTh >> 4;
            int id = tcTh & 15;
            if (tableClass > 1 || id > 3) {
                throw new DicomException("A JPEG Huffman table has class " + tableClass + " and id " + id);
            }
            int[] counts = new int[17];
            int total = 0;
            for (int l = 1; l <= 16; l++) {
                counts[l] = u8(at + l);
                total += counts[l];
            }
            if (total > 256 || at + 17 + total > pos) {
                throw new DicomException("A JPEG Huffman table lists " + total + " codes, more than its segment holds");
            }
            int[] values = new int[total];
            for (int i = 0; i < total; i++) {
                values[i] = u8(at + 17 + i);
            }
            (tableClass == 0 ? dcTables : acTables)[id] = new Huffman(counts, values);
            at += 17 + total;
        }
    }

    private void quantizationTables(int at) throws DicomException {
        while (at < pos) {
            int pqTq = u8(at++);
            int wide = pqTq >> 4;
            int id = pqTq & 15;
            if (wide > 1 || id > 3 || at + 64 * (wide + 1) > pos) {
                throw new DicomException("A JPEG quantization table is malformed");
            }
            int[] table = new int[64];
            for (int k = 0; k < 64; k++) {
                table[k] = wide == 1 ? u16(at + 2 * k) : u8(at + k);
            }
            quantization[id] = table;
            at += 64 * (wide + 1);
        }
    }

    private void frame(int marker, int at) throws DicomException {
        if (frameType >= 0) {
            throw new DicomException("The JPEG stream has two frame headers");
        }
        frameType = marker;
        precision = u8(at);
        height = u16(at + 1);
        width = u16(at + 3);
        int components = u8(at + 5);
        boolean lossless = marker == 0xC3;
        if (lossless ? precision < 2 || precision > 16 : precision != 8 && precision != 12) {
            throw new DicomException("JPEG sample precision " + precision + " is not valid for this process");
        }
        if (height == 0 || width == 0) {
            throw new DicomException("The JPEG frame is " + width + "×" + height + " (a height given later by DNL is not decoded)");
        }
        if (width != expectedWidth || height != expectedHeight) {
            throw new DicomException("The JPEG stream is " + width + "×" + height + ", the header says " + expectedWidth + "×" + expectedHeight);
        }
        if (components != 1) {
            throw new DicomException("A JPEG frame of " + components + " components in this process is not decoded (grayscale, one component, is)");
        }
        componentTable = u8(at + 8);
        if (componentTable > 3) {
            throw new DicomException("The JPEG component names quantization table " + componentTable);
        }
    }

    private void scan(int at) throws DicomException {
        if (frameType < 0) {
            throw new DicomException("A JPEG scan comes before the frame header");
        }
        if (u8(at) != 1) {
            throw new DicomException("A JPEG scan of " + u8(at) + " components is not decoded");
        }
        int tables = u8(at + 2);
        int ss = u8(at + 3);
        int al = u8(at + 5) & 15;
        Huffman dc = dcTables[tables >> 4];
        Huffman ac = acTables[tables & 15];
        if (dc == null) {
            throw new DicomException("The JPEG scan uses a Huffman table the stream does not define");
        }
        samples = new int[width * height];
        BitReader bits = new BitReader(pos);
        if (frameType == 0xC3) {
            if (ss < 1 || ss > 7) {
                throw new DicomException("Lossless JPEG predictor " + ss + " is not valid");
            }
            lossless(bits, dc, ss, al);
        } else {
            if (ac == null || quantization[componentTable] == null) {
                throw new DicomException("The JPEG scan uses a table the stream does not define");
            }
            sequential(bits, dc, ac, quantization[componentTable]);
        }
        pos = bits.pos;
    }

    private void sequential(BitReader bits, Huffman dc, Huffman ac, int[] q) throws DicomException {
        int blocksWide = (width + 7) / 8;
        int blocksHigh = (height + 7) / 8;
        int max = (1 << precision) - 1;
        int shift = 1 << (precision - 1);
        int[] coefficients = new int[64];
        double[] rows = new double[64];
        int predictor = 0;
        int mcu = 0;
        for (int by = 0; by < blocksHigh; by++) {
            for (int bx = 0; bx < blocksWide; bx++, mcu++) {
                if (restartInterval > 0 && mcu > 0 && mcu % restartInterval == 0) {
                    bits.restart();
                    predictor = 0;
                }
                java.util.Arrays.fill(coefficients, 0);
                int t = dc.decode(bits);
                predictor += t == 0 ? 0 : extend(bits.receive(t), t);
                coefficients[0] = predictor * q[0];
                for (int k = 1; k < 64; k++) {
                    int rs = ac.decode(bits);
                    int r = rs >> 4;
                    int s = rs & 15;
                    if (s == 0) {
                        if (r != 15) {
                            break; // end of block
                        }
                        k += 15;
                        continue;
                    }
                    k += r;
                    if (k > 63) {
                        throw new DicomException("A JPEG block has more than 64 coefficients");
                    }
                    coefficients[ZIGZAG[k]] = extend(bits.receive(s), s) * q[k];
                }
                inverseDct(coefficients, rows);
                for (int y = 0; y < 8; y++) {
                    int py = by * 8 + y;
                    if (py >= height) {
                        break;
                    }
                    for (int x = 0; x < 8; x++) {
                        int px = bx * 8 + x;
                        if (px < width) {
                            double v = 0;
                            for (int v2 = 0; v2 < 8; v2++) {
                                v += COS[y][v2] * rows[v2 * 8 + x];
                            }
                            samples[py * width + px] = Math.max(0, Math.min(max, (int) Math.round(v) + shift));
                        }
                    }
                }
            }
        }
    }

    /** The horizontal pass of the separable inverse DCT; the vertical pass is folded into the caller's output loop. */
    private static void inverseDct(int[] coefficients, double[] rows) {
        for (int v = 0; v < 8; v++) {
            for (int x = 0; x < 8; x++) {
                double sum = 0;
                for (int u = 0; u < 8; u++) {
                    sum += COS[x][u] * coefficients[v * 8 + u];
                }
                rows[v * 8 + x] = sum;
            }
        }
    }

    private void lossless(BitReader bits, Huffman dc, int predictorId, int pointTransform) throws DicomException {
        if (pointTransform >= precision) {
            throw new DicomException("Lossless JPEG point transform " + pointTransform + " is not below the precision " + precision);
        }
        int initial = 1 << (precision - pointTransform - 1);
        int restartRow = 0;
        int restartColumn = 0;
        int n = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++, n++) {
                if (restartInterval > 0 && n > 0 && n % restartInterval == 0) {
                    bits.restart();
                    restartRow = y;
                    restartColumn = x;
                }
                int at = y * width + x;
                int prediction;
                if (y == restartRow) {
                    prediction = x == restartColumn ? initial : samples[at - 1];
                } else if (x == 0) {
                    prediction = samples[at - width];
                } else {
                    int ra = samples[at - 1];
                    int rb = samples[at - width];
                    int rc = samples[at - width - 1];
                    prediction = switch (predictorId) {
                        case 1 -> ra;
                        case 2 -> rb;
                        case 3 -> rc;
                        case 4 -> ra + rb - rc;
                        case 5 -> ra + ((rb - rc) >> 1);
                        case 6 -> rb + ((ra - rc) >> 1);
                        default -> (ra + rb) >> 1;
                    };
                }
                int t = dc.decode(bits);
                int difference = t == 0 ? 0 : t == 16 ? 32768 : extend(bits.receive(t), t);
                samples[at] = (prediction + difference) & 0xFFFF;
            }
        }
        if (pointTransform > 0) {
            for (int i = 0; i < samples.length; i++) {
                samples[i] <<= pointTransform;
            }
        }
    }

    /** T.81 Figure F.12: the t-bit value as a signed difference. */
    private static int extend(int value, int t) {
        return value < (1 << (t - 1)) ? value - (1 << t) + 1 : value;
    }

    /** Where the code of the first marker at or after {@code at} is (stray bytes and fill bytes skipped), or the end. */
    private int markerCode(int at) {
        while (at < data.length && u8(at) != 0xFF) {
            at++;
        }
        while (at < data.length && u8(at) == 0xFF) {
            at++;
        }
        return at;
    }

    private int u8(int at) {
        return data[at] & 0xFF;
    }

    private int u16(int at) {
        return (u8(at) << 8) | u8(at + 1);
    }

    /** Entropy-coded bits, with 0xFF00 stuffing removed and restart markers consumed on request. */
    private final class BitReader {
        /** Past the data's end or a marker, zero bits are fed (T.81 allows padding); this many bytes' worth at most. */
        private static final int MAX_PADDING = 8;

        int pos;
        private int buffer;
        private int count;
        private int padding;

        BitReader(int pos) {
            this.pos = pos;
        }

        int bit() throws DicomException {
            if (count == 0) {
                fill();
            }
            count--;
            return (buffer >> count) & 1;
        }

        int receive(int n) throws DicomException {
            int v = 0;
            for (int i = 0; i < n; i++) {
                v = (v << 1) | bit();
            }
            return v;
        }

        private void fill() throws DicomException {
            int b = 0;
            if (pos < data.length && u8(pos) != 0xFF) {
                b = u8(pos++);
            } else if (pos + 1 < data.length && u8(pos) == 0xFF && u8(pos + 1) == 0) {
                b = 0xFF;
                pos += 2;
            } else if (++padding > MAX_PADDING) {
                throw new DicomException("The JPEG scan is truncated: its coded data ends before its last sample");
            }
            buffer = b;
            count = 8;
        }

        void restart() throws DicomException {
            count = 0;
            padding = 0;
            pos = markerCode(pos);
            if (pos >= data.length || u8(pos) < 0xD0 || u8(pos) > 0xD7) {
                throw new DicomException("A JPEG restart marker is missing where the restart interval puts one");
            }
            pos++;
        }
    }

    /** A Huffman table decoded as in T.81 Figure F.16 (MAXCODE, MINCODE, VALPTR). */
    private static final class Huffman {
        private final int[] maxCode = new int[17];
        private final int[] minCode = new int[17];
        private final int[] valuePointer = new int[17];
        private final int[] values;

        Huffman(int[] counts, int[] values) {
            this.values = values;
            int code = 0;
            int k = 0;
            for (int l = 1; l <= 16; l++) {
                if (counts[l] == 0) {
                    maxCode[l] = -1;
                } else {
                    valuePointer[l] = k;
                    minCode[l] = code;
                    code += counts[l];
                    k += counts[l];
                    maxCode[l] = code - 1;
                }
                code <<= 1;
            }
        }

        int decode(BitReader bits) throws DicomException {
            int code = bits.bit();
            for (int l = 1; l <= 16; l++) {
                if (code <= maxCode[l]) {
                    return values[valuePointer[l] + code - minCode[l]];
                }
                code = (code << 1) | bits.bit();
            }
            throw new DicomException("The JPEG scan holds a code its Huffman table does not define");
        }
    }
}
