package io.lungflow.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Gives the service under test the test run's token key and API keys, and RestAssured a token with every role. */
public class SecurityResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        Credentials.everyRoleByDefault();
        return Credentials.quarkusConfig();
    }

    @Override
    public void stop() {
        // nothing held
    }
}
