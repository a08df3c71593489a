package io.lungflow.ingest.storage;

import io.lungflow.platform.storage.S3Config;
import io.lungflow.schemas.ScanIngested.StoredObject;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code scans} bucket. Objects are named by scan id, which comes from their content, so a
 * repeated upload finds its object already there and does not write it twice.
 */
@ApplicationScoped
public class ScanStore {

    static final String SHA256_META = "sha256";

    private final MinioClient s3;
    private final String bucket;

    ScanStore(MinioClient s3, S3Config config) {
        this.s3 = s3;
        this.bucket = config.scansBucket();
    }

    /** The result of {@link #store}: where the object is, and whether it was there already. */
    public record Stored(StoredObject object, boolean alreadyStored) {
    }

    /** The object {@link #store} writes for these bytes (nothing is written). */
    public StoredObject objectFor(String scanId, String extension, long size, String sha256, String mediaType) {
        return new StoredObject(bucket, scanId + "." + extension, size, sha256, mediaType);
    }

    /**
     * Stores the file under {@code <scanId>.<extension>} unless an object with the same checksum
     * is there. Throws {@link StorageUnavailableException} when the store cannot be reached.
     */
    public Stored store(String scanId, String extension, Path file, long size, String sha256, String mediaType,
            Map<String, String> metadata) {
        StoredObject object = objectFor(scanId, extension, size, sha256, mediaType);
        String key = object.key();
        try {
            Optional<StatObjectResponse> existing = stat(key);
            if (existing.isPresent() && sha256.equals(existing.get().userMetadata().get(SHA256_META))) {
                return new Stored(object, true);
            }
            Map<String, String> userMetadata = new java.util.HashMap<>(metadata);
            userMetadata.put(SHA256_META, sha256);
            try (InputStream in = Files.newInputStream(file)) {
                s3.putObject(PutObjectArgs.builder()
                        .bucket(bucket)
                        .object(key)
                        .stream(in, size, -1)
                        .contentType(mediaType)
                        .userMetadata(userMetadata)
                        .build());
            }
            return new Stored(object, false);
        } catch (Exception e) {
            throw new StorageUnavailableException("Could not store scan " + scanId + " in bucket " + bucket, e);
        }
    }

    /** The stored object of a scan, if there is one. */
    public Optional<StoredObject> find(String scanId) {
        try {
            for (Result<Item> result : s3.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(scanId + ".").build())) {
                Item item = result.get();
                StatObjectResponse stat = s3.statObject(StatObjectArgs.builder().bucket(bucket).object(item.objectName()).build());
                return Optional.of(new StoredObject(bucket, item.objectName(), stat.size(),
                        stat.userMetadata().get(SHA256_META), stat.contentType()));
            }
            return Optional.empty();
        } catch (Exception e) {
            throw new StorageUnavailableException("Could not look up scan " + scanId, e);
        }
    }

    private Optional<StatObjectResponse> stat(String key) throws Exception {
        try {
            return Optional.of(s3.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build()));
        } catch (ErrorResponseException e) {
            if ("NoSuchKey".equals(e.errorResponse().code()) || "NoSuchObject".equals(e.errorResponse().code())) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
