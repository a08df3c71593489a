package io.lungflow.ingest;

import io.lungflow.platform.problem.ProblemException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * An uploaded body on local disk with its size and SHA-256, so that an image of any accepted
 * size is inspected and stored without sitting in memory.
 */
public final class SpooledUpload implements AutoCloseable {

    private final Path file;
    private final long size;
    private final String sha256;
    private final boolean ownsFile;

    private SpooledUpload(Path file, long size, String sha256, boolean ownsFile) {
        this.file = file;
        this.size = size;
        this.sha256 = sha256;
        this.ownsFile = ownsFile;
    }

    /**
     * Copies {@code body} to a temporary file, refusing it with 413 as soon as it passes
     * {@code limit} bytes.
     */
    public static SpooledUpload spool(InputStream body, long limit) {
        Path file = null;
        try {
            file = Files.createTempFile("lungflow-upload-", ".bin");
            MessageDigest digest = newDigest();
            long total = 0;
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), digest)) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = body.read(buffer)) >= 0; ) {
                    total += n;
                    if (total > limit) {
                        throw tooLarge(limit);
                    }
                    out.write(buffer, 0, n);
                }
            }
            return new SpooledUpload(file, total, HexFormat.of().formatHex(digest.digest()), true);
        } catch (IOException e) {
            delete(file);
            throw new UncheckedIOException("Could not spool the upload", e);
        } catch (RuntimeException e) {
            delete(file);
            throw e;
        }
    }

    /** A file already on disk (a multipart part the HTTP layer wrote), left in place when closed. */
    public static SpooledUpload ofFile(Path file, long limit) {
        try {
            long size = Files.size(file);
            if (size > limit) {
                throw tooLarge(limit);
            }
            MessageDigest digest = newDigest();
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    digest.update(buffer, 0, n);
                }
            }
            return new SpooledUpload(file, size, HexFormat.of().formatHex(digest.digest()), false);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the uploaded part", e);
        }
    }

    public static ProblemException tooLarge(long limit) {
        return ProblemException.tooLarge("The image is larger than the limit of " + limit + " bytes "
                + "(lungflow.ingest.max-upload-size).");
    }

    public Path file() {
        return file;
    }

    public long size() {
        return size;
    }

    public String sha256() {
        return sha256;
    }

    /** The first bytes, enough to recognise the format. */
    public byte[] head() {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(ImageFormat.SIGNATURE_BYTES);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (ownsFile) {
            delete(file);
        }
    }

    private static void delete(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // A temporary file left behind is removed with the temporary directory.
            }
        }
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
