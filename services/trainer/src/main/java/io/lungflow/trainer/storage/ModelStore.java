package io.lungflow.trainer.storage;

import io.lungflow.modelkit.ModelArtifact;
import io.lungflow.platform.storage.S3Config;
import io.lungflow.schemas.ModelManifest;
import io.lungflow.schemas.ModelVersion;
import io.minio.DownloadObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.UploadObjectArgs;
import io.minio.messages.Item;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The trainer's side of object storage: datasets come down from the datasets bucket, model
 * versions go up to {@code models/<name>/<version>/} in the models bucket, manifest last, so a
 * version whose manifest is there is complete.
 */
@ApplicationScoped
public class ModelStore {

    private final MinioClient s3;
    private final S3Config config;

    ModelStore(MinioClient s3, S3Config config) {
        this.s3 = s3;
        this.config = config;
    }

    /** Uploads every file of the version in {@code dir}; returns where it is and its manifest's checksum. */
    public ModelVersion.Artifact upload(Path dir, ModelManifest manifest) throws Exception {
        String prefix = ModelArtifact.prefix(manifest.name(), manifest.version());
        Path manifestFile = dir.resolve(ModelManifest.FILE_NAME);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).filter(f -> !f.equals(manifestFile)).sorted().toList()) {
                put(prefix + dir.relativize(file).toString().replace('\\', '/'), file);
            }
        }
        put(prefix + ModelManifest.FILE_NAME, manifestFile);
        return new ModelVersion.Artifact(config.modelsBucket(), prefix, ModelArtifact.sha256(manifestFile));
    }

    /** Downloads every object under {@code prefix} of {@code bucket} into {@code target}; returns how many. */
    public int download(String bucket, String prefix, Path target) throws Exception {
        int count = 0;
        for (Result<Item> result : s3.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true).build())) {
            Item item = result.get();
            Path file = target.resolve(item.objectName().substring(prefix.length())).normalize();
            if (!file.startsWith(target) || item.isDir()) {
                continue;
            }
            Files.createDirectories(file.getParent());
            s3.downloadObject(DownloadObjectArgs.builder().bucket(bucket).object(item.objectName()).filename(file.toString()).overwrite(true).build());
            count++;
        }
        return count;
    }

    /** Downloads one object to {@code file}. */
    public void downloadObject(String bucket, String key, Path file) throws Exception {
        s3.downloadObject(DownloadObjectArgs.builder().bucket(bucket).object(key).filename(file.toString()).overwrite(true).build());
    }

    private void put(String key, Path file) throws Exception {
        s3.uploadObject(UploadObjectArgs.builder().bucket(config.modelsBucket()).object(key).filename(file.toString()).build());
    }

    public static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception ignored) {
            // A work directory left behind is removed with the temporary directory.
        }
    }
}
