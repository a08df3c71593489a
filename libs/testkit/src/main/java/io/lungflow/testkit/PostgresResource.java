package io.lungflow.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * A real PostgreSQL for a Quarkus test, used as production uses it: migrations run as the
 * database's owner, and the service connects as {@link #SERVICE_ROLE}, a login role that owns
 * nothing and has only what the migrations grant it.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    /** The role a service under test connects as. */
    public static final String SERVICE_ROLE = "lungflow_service";
    public static final String SERVICE_PASSWORD = "lungflow-service-test";

    private PostgresServer server;

    @Override
    public Map<String, String> start() {
        server = Infrastructure.postgres();
        createServiceRole(server);
        return Map.of(
                "quarkus.datasource.jdbc.url", server.jdbcUrl(),
                "quarkus.datasource.username", SERVICE_ROLE,
                "quarkus.datasource.password", SERVICE_PASSWORD,
                "quarkus.flyway.username", server.username(),
                "quarkus.flyway.password", server.password());
    }

    private static void createServiceRole(PostgresServer server) {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.username(), server.password()); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select 1 from pg_roles where rolname = '" + SERVICE_ROLE + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            s.execute("create role " + SERVICE_ROLE + " login password '" + SERVICE_PASSWORD + "'");
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the service role in the test PostgreSQL: " + e.getMessage(), e);
        }
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(server, new TestInjector.AnnotatedAndMatchesType(InjectInfrastructure.class, PostgresServer.class));
    }

    @Override
    public void stop() {
        server.resume();
    }
}
