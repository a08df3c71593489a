package io.lungflow.testkit;

import io.minio.MinioClient;

/**
 * A running S3-compatible server with SigV4 authentication. {@link #suspend()} and
 * {@link #resume()} take it away and bring it back at the same endpoint with the same data, so
 * tests can prove what a service does while storage is unavailable.
 */
public interface ObjectStore extends AutoCloseable {

    String endpoint();

    String accessKey();

    String secretKey();

    default String region() {
        return "us-east-1";
    }

    /** Makes the server unreachable, keeping its data. */
    void suspend();

    /** Brings a suspended server back at the same endpoint. */
    void resume();

    @Override
    void close();

    default MinioClient client() {
        return MinioClient.builder().endpoint(endpoint()).credentials(accessKey(), secretKey()).region(region()).build();
    }

    static ObjectStore start() {
        return Mode.selected() == Mode.CONTAINERS ? MinioContainerStore.start() : S3ProxyServer.start();
    }
}
