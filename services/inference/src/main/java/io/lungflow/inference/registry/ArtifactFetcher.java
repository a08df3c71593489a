package io.lungflow.inference.registry;

import io.lungflow.inference.InferenceConfig;
import io.lungflow.inference.engine.ModelLoadException;
import io.lungflow.modelkit.ArtifactException;
import io.lungflow.modelkit.ModelArtifact;
import io.lungflow.schemas.ModelManifest;
import io.lungflow.schemas.ModelVersion;
import io.minio.DownloadObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.messages.Item;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Downloads a model version from S3 into a local cache and proves it is what the registry
 * published: the manifest's checksum matches the one in the models.versions event, and every file
 * matches the manifest.
 */
@ApplicationScoped
public class ArtifactFetcher {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(ArtifactFetcher.class);

    private final MinioClient s3;
    private final Path cache;

    ArtifactFetcher(MinioClient s3, InferenceConfig config) {
        this.s3 = s3;
        this.cache = Path.of(config.modelCache().orElse(System.getProperty("java.io.tmpdir") + "/lungflow-models"));
    }

    /**
     * The verified local directory of {@code version}, with its manifest. A copy already in the
     * cache that still verifies (the manifest's checksum is the published one, every file matches
     * the manifest) is used as it is: a restart does not download again, and a version whose
     * artifact was deleted from S3 while it served still loads where it was served before.
     */
    public Fetched fetch(ModelVersion version) throws ModelLoadException {
        Path dir = cache.resolve(version.model()).resolve(version.version() + "-" + version.artifact().manifestSha256().substring(0, 12));
        try {
            Fetched cached = verified(dir, version);
            LOG.infof("%s loads from its verified local copy in %s", version.ref(), dir);
            return cached;
        } catch (ModelLoadException | RuntimeException notCached) {
            // not there, or not intact: download it
        }
        try {
            deleteRecursively(dir);
            Files.createDirectories(dir);
            String prefix = version.artifact().prefix();
            int files = 0;
            for (Result<Item> result : s3.listObjects(ListObjectsArgs.builder().bucket(version.artifact().bucket()).prefix(prefix)
                    .recursive(true).build())) {
                Item item = result.get();
                String relative = item.objectName().substring(prefix.length());
                Path target = dir.resolve(relative).normalize();
                if (!target.startsWith(dir) || relative.isEmpty()) {
                    throw new ModelLoadException("object " + item.objectName() + " does not belong under " + prefix);
                }
                Files.createDirectories(target.getParent());
                s3.downloadObject(DownloadObjectArgs.builder().bucket(version.artifact().bucket()).object(item.objectName())
                        .filename(target.toString()).overwrite(true).build());
                files++;
            }
            if (files == 0) {
                throw new ModelLoadException("no files under s3://" + version.artifact().bucket() + "/" + prefix);
            }
        } catch (ModelLoadException e) {
            throw e;
        } catch (Exception e) {
            throw new ModelLoadException("downloading " + version.ref() + " from S3 failed: " + e.getMessage(), e);
        }
        return verified(dir, version);
    }

    private static Fetched verified(Path dir, ModelVersion version) throws ModelLoadException {
        Path manifestFile = dir.resolve(ModelManifest.FILE_NAME);
        if (!Files.isRegularFile(manifestFile)) {
            throw new ModelLoadException("no " + ModelManifest.FILE_NAME + " under " + version.artifact().prefix());
        }
        String manifestSha = ModelArtifact.sha256(manifestFile);
        if (!manifestSha.equals(version.artifact().manifestSha256())) {
            throw new ModelLoadException("manifest.json has checksum " + manifestSha + ", models.versions says "
                    + version.artifact().manifestSha256());
        }
        try {
            ModelManifest manifest = ModelArtifact.readManifest(dir);
            ModelArtifact.verify(dir, manifest);
            if (!manifest.name().equals(version.model()) || !manifest.version().equals(version.version())) {
                throw new ModelLoadException("the manifest describes " + manifest.name() + ":" + manifest.version() + ", not " + version.ref());
            }
            return new Fetched(dir, manifest);
        } catch (ArtifactException e) {
            throw new ModelLoadException("the artifact of " + version.ref() + " is not intact: " + e.getMessage(), e);
        }
    }

    public record Fetched(Path dir, ModelManifest manifest) {
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
