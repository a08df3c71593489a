package io.lungflow.ingest;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The image formats ingest accepts, with how to recognise each from its first bytes. */
public enum ImageFormat {
    PNG("image/png", "png", "PNG", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a}),
    JPEG("image/jpeg", "jpg", "JPEG", new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff}),
    /** DICOM Part 10: "DICM" after the 128-byte preamble (PS3.10 §7.1). */
    DICOM("application/dicom", "dcm", "DICOM", new byte[] {'D', 'I', 'C', 'M'}, 128);

    /** Bytes {@link #sniff} needs to see. */
    public static final int SIGNATURE_BYTES = 132;

    private final String mediaType;
    private final String extension;
    private final String displayName;
    private final byte[] signature;
    private final int offset;

    ImageFormat(String mediaType, String extension, String displayName, byte[] signature) {
        this(mediaType, extension, displayName, signature, 0);
    }

    ImageFormat(String mediaType, String extension, String displayName, byte[] signature, int offset) {
        this.mediaType = mediaType;
        this.extension = extension;
        this.displayName = displayName;
        this.signature = signature;
        this.offset = offset;
    }

    public String mediaType() {
        return mediaType;
    }

    public String extension() {
        return extension;
    }

    public String displayName() {
        return displayName;
    }

    /** The format a {@code Content-Type} names (parameters ignored), if it is one we accept. */
    public static Optional<ImageFormat> ofMediaType(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        String bare = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (bare.equals("image/jpg") || bare.equals("image/pjpeg")) {
            return Optional.of(JPEG);
        }
        return Arrays.stream(values()).filter(f -> f.mediaType.equals(bare)).findFirst();
    }

    /** The format whose signature {@code head} starts with. */
    public static Optional<ImageFormat> sniff(byte[] head) {
        return Arrays.stream(values()).filter(f -> f.matches(head)).findFirst();
    }

    private boolean matches(byte[] head) {
        return head.length >= offset + signature.length && Arrays.equals(head, offset, offset + signature.length, signature, 0, signature.length);
    }
}
