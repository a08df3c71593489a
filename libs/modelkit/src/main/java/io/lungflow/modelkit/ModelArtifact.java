package io.lungflow.modelkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.lungflow.schemas.EventJson;
import io.lungflow.schemas.ModelManifest;
import io.lungflow.schemas.ModelManifest.FileEntry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A model version on disk: a TensorFlow SavedModel ({@code saved_model.pb}, {@code variables/})
 * and {@code manifest.json}, which lists every other file with its SHA-256. The same layout is
 * stored under {@code models/<name>/<version>/} in S3.
 */
public final class ModelArtifact {

    public static final String SAVED_MODEL = "saved_model.pb";
    private static final ObjectMapper JSON = EventJson.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelArtifact() {
    }

    /** {@code models/<name>/<version>/}: where a version lives in the models bucket. */
    public static String prefix(String name, String version) {
        return "models/" + name + "/" + version + "/";
    }

    /** Every file under {@code dir} except the manifest, with its checksum, in a stable order. */
    public static List<FileEntry> files(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            List<FileEntry> files = new ArrayList<>();
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                String relative = dir.relativize(file).toString().replace('\\', '/');
                if (!relative.equals(ModelManifest.FILE_NAME)) {
                    files.add(new FileEntry(relative, sha256(file), Files.size(file)));
                }
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + dir, e);
        }
    }

    /** Writes {@code manifest} (its {@code files} replaced by what is in {@code dir}) and returns what was written. */
    public static ModelManifest writeManifest(Path dir, ModelManifest manifest) {
        ModelManifest complete = new ModelManifest(manifest.format(), manifest.name(), manifest.version(), manifest.createdAt(),
                manifest.architecture(), manifest.framework(), manifest.classes(), manifest.positiveClass(), manifest.input(),
                manifest.preprocessing(), manifest.signature(), manifest.threshold(), manifest.offlineMetrics(),
                manifest.dataset(), files(dir));
        try {
            JSON.writeValue(dir.resolve(ModelManifest.FILE_NAME).toFile(), complete);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the manifest in " + dir, e);
        }
        return complete;
    }

    public static ModelManifest readManifest(Path dir) throws ArtifactException {
        Path file = dir.resolve(ModelManifest.FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new ArtifactException("no " + ModelManifest.FILE_NAME + " in " + dir);
        }
        try {
            ModelManifest manifest = JSON.readValue(file.toFile(), ModelManifest.class);
            if (!ModelManifest.FORMAT.equals(manifest.format())) {
                throw new ArtifactException("unknown manifest format '" + manifest.format() + "'");
            }
            return manifest;
        } catch (IOException e) {
            throw new ArtifactException("manifest.json does not parse: " + e.getMessage(), e);
        }
    }

    /**
     * Checks that every file the manifest lists is there with its size and checksum, that the
     * SavedModel is among them, and that the manifest is self-consistent.
     */
    public static void verify(Path dir, ModelManifest manifest) throws ArtifactException {
        if (manifest.files() == null || manifest.files().stream().noneMatch(f -> f.path().equals(SAVED_MODEL))) {
            throw new ArtifactException("the manifest lists no " + SAVED_MODEL);
        }
        if (!manifest.classes().contains(manifest.positiveClass())) {
            throw new ArtifactException("positive class '" + manifest.positiveClass() + "' is not one of " + manifest.classes());
        }
        for (FileEntry entry : manifest.files()) {
            Path file = dir.resolve(entry.path()).normalize();
            if (!file.startsWith(dir.normalize())) {
                throw new ArtifactException("file " + entry.path() + " points outside the model directory");
            }
            if (!Files.isRegularFile(file)) {
                throw new ArtifactException("file " + entry.path() + " is missing");
            }
            try {
                if (Files.size(file) != entry.sizeBytes()) {
                    throw new ArtifactException("file " + entry.path() + " has " + Files.size(file) + " bytes, the manifest says "
                            + entry.sizeBytes());
                }
            } catch (IOException e) {
                throw new ArtifactException("cannot read " + entry.path(), e);
            }
            String actual = sha256(file);
            if (!actual.equals(entry.sha256())) {
                throw new ArtifactException("file " + entry.path() + " has checksum " + actual + ", the manifest says " + entry.sha256());
            }
        }
    }

    public static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest())) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
