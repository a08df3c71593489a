package io.lungflow.modelkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lungflow.schemas.Contract;
import io.lungflow.schemas.EventJson;
import io.lungflow.schemas.ModelManifest;
import io.lungflow.schemas.SchemaValidator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A written artifact lists its files with checksums, passes its schema, and any change to a file is caught. */
class ModelArtifactTest {

    @TempDir
    Path dir;

    @Test
    void aWrittenManifestVerifiesAndMatchesItsSchema() throws Exception {
        ModelManifest written = write();
        assertThat(written.files()).extracting(ModelManifest.FileEntry::path)
                .containsExactly("saved_model.pb", "variables/variables.data-00000-of-00001", "variables/variables.index");
        ModelManifest read = ModelArtifact.readManifest(dir);
        ModelArtifact.verify(dir, read);
        assertThat(new SchemaValidator().validate(Contract.MODEL_MANIFEST, EventJson.mapper().valueToTree(read))).isEmpty();
    }

    @Test
    void aChangedByteIsCaught() throws Exception {
        write();
        Files.write(dir.resolve("variables/variables.index"), new byte[] {1, 2, 4});
        assertThatThrownBy(() -> ModelArtifact.verify(dir, ModelArtifact.readManifest(dir)))
                .isInstanceOf(ArtifactException.class).hasMessageContaining("variables/variables.index has checksum");
    }

    @Test
    void aMissingFileIsCaught() throws Exception {
        write();
        Files.delete(dir.resolve("saved_model.pb"));
        assertThatThrownBy(() -> ModelArtifact.verify(dir, ModelArtifact.readManifest(dir)))
                .isInstanceOf(ArtifactException.class).hasMessageContaining("saved_model.pb is missing");
    }

    @Test
    void aManifestPointingOutsideTheDirectoryIsRefused() throws Exception {
        ModelManifest m = write();
        ModelManifest evil = new ModelManifest(m.format(), m.name(), m.version(), m.createdAt(), m.architecture(), m.framework(),
                m.classes(), m.positiveClass(), m.input(), m.preprocessing(), m.signature(), m.threshold(), m.offlineMetrics(),
                m.dataset(), List.of(m.files().get(0), new ModelManifest.FileEntry("../../etc/passwd", m.files().get(0).sha256(), 3)));
        assertThatThrownBy(() -> ModelArtifact.verify(dir, evil)).hasMessageContaining("outside");
    }

    private ModelManifest write() throws Exception {
        Files.write(dir.resolve("saved_model.pb"), new byte[] {1, 2, 3, 4});
        Files.createDirectories(dir.resolve("variables"));
        Files.write(dir.resolve("variables/variables.index"), new byte[] {1, 2, 3});
        Files.write(dir.resolve("variables/variables.data-00000-of-00001"), new byte[] {9});
        return ModelArtifact.writeManifest(dir, new ModelManifest(ModelManifest.FORMAT, "covid-ct", "1", Instant.parse("2026-11-22T00:00:00Z"),
                "cnn", new ModelManifest.Framework("tensorflow", "2.16.1"), List.of("covid", "non-covid"), "covid",
                new ModelManifest.Input(64, 64, 1),
                new ModelManifest.Preprocessing("grayscale", "bilinear", new ModelManifest.Normalization(1 / 255.0, List.of(0.0), List.of(1.0)), null),
                new ModelManifest.Signature("serving_default", "image", "probabilities"), 0.4, Map.of("auc", 0.9), null, List.of()));
    }
}
