package io.lungflow.platform.storage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/** Connection to the S3-compatible object store (MinIO in production). */
@ConfigMapping(prefix = "lungflow.s3")
public interface S3Config {

    /** e.g. {@code http://minio:9000}; env {@code LUNGFLOW_S3_ENDPOINT}. */
    String endpoint();

    String accessKey();

    String secretKey();

    @WithDefault("us-east-1")
    String region();

    /** Bucket holding scans (images as received). */
    @WithDefault("scans")
    String scansBucket();

    /** Bucket holding model versions ({@code models/<name>/<version>/}). */
    @WithDefault("models")
    String modelsBucket();

    /** The buckets this service needs: checked by readiness, created at start when {@link #createBuckets()}. */
    @WithDefault("scans,models")
    List<String> buckets();

    /** Create missing buckets (local stack, tests); production buckets are provisioned. */
    @WithDefault("true")
    boolean createBuckets();

    /**
     * PEM file of the certificates to trust for an {@code https://} endpoint whose certificate the
     * JVM's default trust store does not know (a private CA, a self-signed test certificate);
     * env {@code LUNGFLOW_S3_TRUST_CERTIFICATES}.
     */
    java.util.Optional<java.nio.file.Path> trustCertificates();

    @WithDefault("3s")
    Duration connectTimeout();

    /** Read and write timeout of a single S3 request. */
    @WithDefault("30s")
    Duration requestTimeout();
}
