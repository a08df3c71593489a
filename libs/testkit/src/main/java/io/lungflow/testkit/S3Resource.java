package io.lungflow.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** A real S3 server for a Quarkus test: sets the {@code lungflow.s3.*} connection settings. */
public class S3Resource implements QuarkusTestResourceLifecycleManager {

    private ObjectStore store;

    @Override
    public Map<String, String> start() {
        store = Infrastructure.objectStore();
        return Map.of(
                "lungflow.s3.endpoint", store.endpoint(),
                "lungflow.s3.access-key", store.accessKey(),
                "lungflow.s3.secret-key", store.secretKey(),
                "lungflow.s3.region", store.region());
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(store, new TestInjector.AnnotatedAndMatchesType(InjectInfrastructure.class, ObjectStore.class));
    }

    @Override
    public void stop() {
        // Shared by the JVM's tests; make sure a test that suspended it did not leave it down.
        store.resume();
    }
}
