package io.lungflow.platform.storage;

import io.minio.MinioClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import okhttp3.OkHttpClient;

/** The one S3 client of a service, with timeouts short enough that an outage answers quickly. */
@ApplicationScoped
public class S3ClientProducer {

    @Produces
    @ApplicationScoped
    MinioClient minioClient(S3Config config) {
        OkHttpClient http = new OkHttpClient.Builder()
                .connectTimeout(config.connectTimeout())
                .readTimeout(config.requestTimeout())
                .writeTimeout(config.requestTimeout())
                // A pooled connection the server has closed is retried once on a new one.
                .retryOnConnectionFailure(true)
                .build();
        return MinioClient.builder()
                .endpoint(config.endpoint())
                .credentials(config.accessKey(), config.secretKey())
                .region(config.region())
                .httpClient(http)
                .build();
    }
}
