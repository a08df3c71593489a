package io.lungflow.platform.storage;

import io.minio.MinioClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;

/** The one S3 client of a service, with timeouts short enough that an outage answers quickly. */
@ApplicationScoped
public class S3ClientProducer {

    @Produces
    @ApplicationScoped
    MinioClient minioClient(S3Config config) {
        OkHttpClient.Builder http = new OkHttpClient.Builder()
                .connectTimeout(config.connectTimeout())
                .readTimeout(config.requestTimeout())
                .writeTimeout(config.requestTimeout())
                // A pooled connection the server has closed is retried once on a new one.
                .retryOnConnectionFailure(true);
        config.trustCertificates().ifPresent(pem -> trust(http, pem));
        return MinioClient.builder()
                .endpoint(config.endpoint())
                .credentials(config.accessKey(), config.secretKey())
                .region(config.region())
                .httpClient(http.build())
                .build();
    }

    /** Trusts exactly the certificates in {@code pem} (hostname verification stays on). */
    private static void trust(OkHttpClient.Builder http, Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("s3-" + n++, c);
            }
            if (n == 0) {
                throw new IllegalStateException("lungflow.s3.trust-certificates " + pem + " holds no certificate");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            X509TrustManager tm = (X509TrustManager) tmf.getTrustManagers()[0];
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, new TrustManager[] {tm}, null);
            http.sslSocketFactory(tls.getSocketFactory(), tm);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("lungflow.s3.trust-certificates " + pem + " could not be read: " + e.getMessage(), e);
        }
    }
}
