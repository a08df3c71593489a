package io.lungflow.results;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.lungflow.schemas.ModelStatus;
import io.lungflow.schemas.Role;
import io.lungflow.schemas.Topics;
import io.lungflow.testkit.InjectInfrastructure;
import io.lungflow.testkit.KafkaResource;
import io.lungflow.testkit.KafkaServer;
import io.lungflow.testkit.PostgresResource;
import io.lungflow.testkit.PostgresServer;
import io.lungflow.testkit.S3Resource;
import io.lungflow.testkit.SecurityResource;
import io.lungflow.testkit.TopicReader;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What results must never do: change its data when events arrive again, or lose events while
 * PostgreSQL is away.
 */
@QuarkusTest
@WithTestResource(SecurityResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(S3Resource.class)
@WithTestResource(PostgresResource.class)
class ResultsDurabilityIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<String> TOPICS = List.of(Topics.SCANS_INGESTED, Topics.SCANS_PREDICTED, Topics.SCANS_LABELS,
            Topics.MODELS_VERSIONS);

    @InjectInfrastructure
    KafkaServer kafka;

    @InjectInfrastructure
    PostgresServer postgres;

    private final List<String> markers = new ArrayList<>();

    @Test
    void replayingEveryTopicFromTheStartChangesNothing() throws Exception {
        try (Events events = new Events(kafka.bootstrapServers())) {
            events.version("m-replay", "1", ModelStatus.ACTIVE);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String id = ResultsIT.predictedScan(events, "m-replay", "1", i / 12.0);
                events.predicted(id, "m-replay", "2", Role.SHADOW, 1 - i / 12.0);
                ids.add(id);
            }
            for (int i = 0; i < 6; i++) {
                given().contentType(ContentType.JSON).body(Map.of("label", i % 2 == 0 ? "covid" : "non-covid"))
                        .post("/api/v1/scans/" + ids.get(i) + "/label").then().statusCode(201);
            }
            given().contentType(ContentType.JSON).body(Map.of("label", "covid")).post("/api/v1/scans/" + ids.get(1) + "/label")
                    .then().statusCode(201);
            await().atMost(WAIT).until(() -> rows("label").size() >= 7);
            quiesce(events);
            List<String> before = snapshot();

            TopicReader reader = new TopicReader(kafka.bootstrapServers());
            int replayed = 0;
            for (String topic : TOPICS) {
                for (TopicReader.Event e : reader.readAll(topic)) {
                    events.sendRaw(topic, e.key(), e.value());
                    replayed++;
                }
            }
            assertThat(replayed).isGreaterThan(40);
            quiesce(events);

            assertThat(snapshot()).containsExactlyElementsOf(before);
        }
    }

    @Test
    void thirtySecondsWithoutPostgresLoseNoPrediction() throws Exception {
        try (Events events = new Events(kafka.bootstrapServers())) {
            String warm = ResultsIT.predictedScan(events, "m-outage", "1", 0.5);
            List<String> sent = new ArrayList<>();
            postgres.suspend();
            try {
                long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                int i = 0;
                while (System.nanoTime() < end) {
                    String id = events.ingested("OUT-" + i, Instant.now()).scanId();
                    events.predicted(id, "m-outage", "1", Role.ACTIVE, (i % 10) / 10.0);
                    sent.add(id);
                    i++;
                    Thread.sleep(200);
                }
                given().get("/api/v1/scans/" + warm).then().statusCode(503).contentType("application/problem+json")
                        .header("Retry-After", org.hamcrest.Matchers.notNullValue());
            } finally {
                postgres.resume();
            }
            assertThat(sent).hasSizeGreaterThan(100);
            await().atMost(WAIT).untilAsserted(() -> {
                for (String id : sent) {
                    given().get("/api/v1/scans/" + id).then().statusCode(200).body("status", equalTo("PREDICTED"));
                }
            });
            assertThat(count("select count(*) from prediction where model = 'm-outage'")).isEqualTo(sent.size() + 1L);
        }
    }

    /** Sends a marker on every topic results follows and waits until each is stored: everything before it is too. */
    private void quiesce(Events events) {
        String id = ResultsIT.predictedScan(events, "m-marker", String.valueOf(System.nanoTime()), 0.5);
        markers.add(id);
        var label = events.labelled(id, "covid", Instant.now());
        var version = events.version("m-marker", "marker-" + System.nanoTime(), ModelStatus.CANDIDATE);
        await().atMost(WAIT).until(() -> count("select count(*) from label where label_id = '" + label.labelId() + "'") == 1
                && count("select count(*) from model_version where version = '" + version.version() + "'") == 1);
    }

    /** Every row of every table except the markers', as text, in key order. */
    private List<String> snapshot() throws Exception {
        List<String> all = new ArrayList<>();
        for (String table : List.of("scan", "prediction", "label", "model_version", "model_transition", "audit_record")) {
            for (String row : rows(table)) {
                if (!row.contains("m-marker") && markers.stream().noneMatch(row::contains)) {
                    all.add(table + ": " + row);
                }
            }
        }
        return all;
    }

    private List<String> rows(String table) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select * from " + table + " order by 1, 2")) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.append(meta.getColumnName(i)).append('=').append(rs.getString(i)).append(' ');
                }
                out.add(row.toString());
            }
        }
        out.sort(null);
        return out;
    }

    private long count(String sql) throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Connection connect() throws Exception {
        return DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
    }
}
