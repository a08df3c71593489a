package io.lungflow.platform.storage;

import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.errors.ErrorResponseException;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Makes sure the service's buckets exist. At start an unreachable store is logged, not fatal:
 * the service comes up unready and readiness retries, so a storage outage at boot heals itself.
 */
@ApplicationScoped
public class Buckets {

    private static final Logger LOG = Logger.getLogger(Buckets.class);

    private final MinioClient s3;
    private final S3Config config;

    Buckets(MinioClient s3, S3Config config) {
        this.s3 = s3;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        try {
            List<String> missing = missing();
            if (!missing.isEmpty()) {
                LOG.warnf("Buckets %s do not exist and lungflow.s3.create-buckets is false", missing);
            }
        } catch (Exception e) {
            LOG.warnf("Object store at %s is not reachable yet (%s); readiness will report it", config.endpoint(), e.toString());
        }
    }

    /** The configured buckets that do not exist, after creating them if allowed. */
    public List<String> missing() throws Exception {
        List<String> missing = new ArrayList<>();
        for (String bucket : config.buckets()) {
            if (!s3.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                if (config.createBuckets() && create(bucket)) {
                    LOG.infof("Created bucket %s", bucket);
                } else {
                    missing.add(bucket);
                }
            }
        }
        return missing;
    }

    private boolean create(String bucket) throws Exception {
        try {
            s3.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
            return true;
        } catch (ErrorResponseException e) {
            // Another instance created it between our check and our call.
            return "BucketAlreadyOwnedByYou".equals(e.errorResponse().code())
                    || "BucketAlreadyExists".equals(e.errorResponse().code());
        }
    }
}
