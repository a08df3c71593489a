package io.lungflow.results;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.lungflow.schemas.AuditRecord;
import io.lungflow.schemas.EventJson;
import io.lungflow.schemas.ModelStatus;
import io.lungflow.schemas.Role;
import io.lungflow.schemas.ScanIngested;
import io.lungflow.schemas.ScanLabelled;
import io.lungflow.schemas.ScanPredicted;
import io.lungflow.schemas.Topics;
import io.lungflow.testkit.Credentials;
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
import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The audit trail: an ingest, a prediction with its model version and threshold, a label
 * confirmed through the API (pseudonymous reviewer) and a model transition (who, why) each become
 * one record, chained by hash, also on the audit topic; a replay adds nothing; the table refuses
 * updates; a change made around that is found at its record, and undone, the chain is whole again.
 */
@QuarkusTest
@WithTestResource(SecurityResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(S3Resource.class)
@WithTestResource(PostgresResource.class)
class AuditIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @InjectInfrastructure
    KafkaServer kafka;

    @InjectInfrastructure
    PostgresServer postgres;

    @Test
    void eachEventIsRecordedOnceChainedAndTamperingIsFound() throws Exception {
        String scanId;
        String labelId;
        try (Events events = new Events(kafka.bootstrapServers())) {
            events.version("m-audit", "1", ModelStatus.ACTIVE);
            ScanIngested ingested = events.ingested("ACC-AUDIT", Instant.now());
            scanId = ingested.scanId();
            ScanPredicted predicted = events.predicted(scanId, "m-audit", "1", Role.ACTIVE, 0.83);
            await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/scans/" + scanId).then().statusCode(200)
                    .body("status", equalTo("PREDICTED")));
            labelId = given().contentType(ContentType.JSON).header("Authorization", "Bearer " + Credentials.token("dr.audit@example.org", "radiologist"))
                    .body(Map.of("label", "covid")).post("/api/v1/scans/" + scanId + "/label").then().statusCode(201).extract().path("labelId");

            JsonPath prediction = record(AuditRecord.Kind.PREDICTION, predicted.predictionId());
            assertThat(prediction.getString("canonicalDetails")).contains("\"model\":\"m-audit\"", "\"version\":\"1\"", "\"threshold\":0.5", "\"role\":\"ACTIVE\"");
            JsonPath label = record(AuditRecord.Kind.LABEL, labelId);
            assertThat(label.getString("canonicalDetails")).contains("\"reviewer\":\"hmac-sha256:").doesNotContain("dr.audit");
            JsonPath ingest = record(AuditRecord.Kind.SCAN_INGESTED, scanId);
            assertThat(ingest.getString("canonicalDetails")).contains("\"channel\":\"UPLOAD\"").doesNotContain("ACC-AUDIT");
            assertThat(record(AuditRecord.Kind.MODEL_TRANSITION, "m-audit:1:ACTIVE:").getString("canonicalDetails")).contains("\"changedBy\":\"results-it\"");

            // Seen again, nothing is recorded twice.
            long before = count();
            events.send(Topics.SCANS_INGESTED, scanId, ingested);
            events.send(Topics.SCANS_PREDICTED, scanId, predicted);
            ScanLabelled again = events.labelled(scanId, "covid", Instant.now());
            record(AuditRecord.Kind.LABEL, again.labelId());
            assertThat(count()).isEqualTo(before + 1);
        }

        given().get("/api/v1/audit/verification").then().statusCode(200).body("intact", equalTo(true));
        long labelSeq = seqOf(labelId);

        // The audit topic carries the same records with the same hashes.
        TopicReader.Event onTopic = new TopicReader(kafka.bootstrapServers()).await(Topics.AUDIT, e -> e.key().equals(Long.toString(labelSeq)), WAIT);
        AuditRecord relayed = EventJson.mapper().readValue(onTopic.value(), AuditRecord.class);
        assertThat(relayed.kind()).isEqualTo(AuditRecord.Kind.LABEL);
        assertThat(relayed.hash()).isEqualTo(query("select hash from audit_record where seq = " + labelSeq));

        try (Connection c = connect(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeUpdate("update audit_record set details = '{}' where seq = " + labelSeq))
                    .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
            assertThatThrownBy(() -> s.executeUpdate("delete from audit_record where seq = " + labelSeq))
                    .isInstanceOf(SQLException.class).hasMessageContaining("append-only");

            String original = query("select details from audit_record where seq = " + labelSeq);
            tamper(s, "update audit_record set details = replace(details, '\"covid\"', '\"non-covid\"') where seq = " + labelSeq);
            given().get("/api/v1/audit/verification").then().statusCode(200).body("intact", equalTo(false))
                    .body("brokenAt", equalTo((int) labelSeq)).body("reason", org.hamcrest.Matchers.containsString("changed after it was written"));
            tamper(s, "update audit_record set details = '" + original.replace("'", "''") + "' where seq = " + labelSeq);
            given().get("/api/v1/audit/verification").then().statusCode(200).body("intact", equalTo(true));
        }
    }

    @Test
    void aCutTailOrARecomputedChainPassesTheChainAloneButNotTheAuditTopic() throws Exception {
        try (Events events = new Events(kafka.bootstrapServers())) {
            for (int i = 0; i < 3; i++) {
                String id = events.ingested("ACC-ANCHOR-" + i, Instant.now()).scanId();
                record(AuditRecord.Kind.SCAN_INGESTED, id);
            }
        }
        long last = Long.parseLong(query("select max(seq) from audit_record"));
        await().atMost(WAIT).until(() -> Long.parseLong(query("select last_seq from audit_relay")) >= last);
        given().get("/api/v1/audit/verification").then().statusCode(200).body("intact", equalTo(true))
                .body("topic.matches", equalTo(true)).body("topic.lastOnTopic", equalTo((int) last));

        try (Connection c = connect(); Statement s = c.createStatement()) {
            List<Object[]> tail = rows(s, "select seq, recorded_at, kind, source_id, details, previous_hash, hash from audit_record where seq > "
                    + (last - 2) + " order by seq");
            tamper(s, "delete from audit_record where seq > " + (last - 2));
            String cutReason = "the table ends at record " + (last - 2) + " but the audit topic holds records up to " + last + " (its tail was cut)";
            // The reason is the topic's: the shortened chain is whole on its own.
            given().get("/api/v1/audit/verification").then().statusCode(200).body("intact", equalTo(false))
                    .body("brokenAt", equalTo((int) last - 1)).body("reason", equalTo(cutReason));
            for (Object[] r : tail) {
                try (var insert = c.prepareStatement("insert into audit_record (seq, recorded_at, kind, source_id, details, previous_hash, hash) "
                        + "values (?, ?, ?, ?, ?, ?, ?)")) {
                    for (int i = 0; i < r.length; i++) {
                        insert.setObject(i + 1, r[i]);
                    }
                    insert.executeUpdate();
                }
            }
            given().get("/api/v1/audit/verification").then().statusCode(200).body("intact", equalTo(true));

            // An insider edits record last−2 and recomputes its hash and every hash after it: the chain alone is whole again.
            List<Object[]> from = rows(s, "select seq, recorded_at, kind, source_id, details, previous_hash, hash from audit_record where seq >= "
                    + (last - 2) + " order by seq");
            String previous = (String) from.get(0)[5];
            s.execute("alter table audit_record disable trigger audit_record_no_update");
            try {
                for (Object[] r : from) {
                    String details = ((long) r[0]) == last - 2 ? ((String) r[4]).replace("\"UPLOAD\"", "\"DICOMWEB\"") : (String) r[4];
                    String hash = io.lungflow.schemas.AuditChain.hash(previous, (long) r[0], ((java.sql.Timestamp) r[1]).toInstant(),
                            AuditRecord.Kind.valueOf((String) r[2]), (String) r[3], details);
                    s.executeUpdate("update audit_record set details = '" + details.replace("'", "''") + "', previous_hash = '" + previous
                            + "', hash = '" + hash + "' where seq = " + r[0]);
                    previous = hash;
                }
            } finally {
                s.execute("alter table audit_record enable trigger audit_record_no_update");
            }
            // The reason is the topic's: the chain's own check (which the report gives first) passed.
            given().get("/api/v1/audit/verification").then().statusCode(200).body("intact", equalTo(false))
                    .body("brokenAt", equalTo((int) last - 2)).body("reason", org.hamcrest.Matchers.containsString("rewritten in the table"))
                    .body("topic.matches", equalTo(false));
            s.execute("alter table audit_record disable trigger audit_record_no_update");
            try {
                for (Object[] r : from) {
                    s.executeUpdate("update audit_record set details = '" + ((String) r[4]).replace("'", "''") + "', previous_hash = '" + r[5]
                            + "', hash = '" + r[6] + "' where seq = " + r[0]);
                }
            } finally {
                s.execute("alter table audit_record enable trigger audit_record_no_update");
            }
            given().get("/api/v1/audit/verification").then().statusCode(200).body("intact", equalTo(true));
        }
    }

    @Test
    void theServicesOwnDatabaseRoleMayOnlyReadAndAppendToTheAuditTrail() throws Exception {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), PostgresResource.SERVICE_ROLE, PostgresResource.SERVICE_PASSWORD);
                Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select count(*) from audit_record")) {
                assertThat(rs.next()).isTrue();
            }
            assertThatThrownBy(() -> s.execute("alter table audit_record disable trigger audit_record_no_update"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("must be owner");
            assertThatThrownBy(() -> s.executeUpdate("delete from audit_record")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> s.executeUpdate("update audit_record set details = '{}'")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> s.execute("truncate audit_record")).isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
            assertThatThrownBy(() -> s.execute("drop table audit_record")).isInstanceOf(SQLException.class).hasMessageContaining("must be owner");
        }
    }

    private static List<Object[]> rows(Statement s, String sql) throws SQLException {
        List<Object[]> out = new java.util.ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(new Object[] {rs.getLong(1), rs.getTimestamp(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                        rs.getString(7)});
            }
        }
        return out;
    }

    /** Waits for the audit record of {@code kind} whose source id starts with {@code sourceId}. */
    private static JsonPath record(AuditRecord.Kind kind, String sourceId) {
        JsonPath[] found = new JsonPath[1];
        await().atMost(WAIT).untilAsserted(() -> {
            List<Map<String, Object>> all = given().queryParam("limit", 1000).get("/api/v1/audit").then().statusCode(200).extract().jsonPath()
                    .getList("$");
            Map<String, Object> match = all.stream().filter(r -> kind.name().equals(r.get("kind")) && ((String) r.get("sourceId")).startsWith(sourceId))
                    .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no " + kind + " record for " + sourceId));
            found[0] = new JsonPath(EventJson.mapper().writeValueAsString(match));
        });
        return found[0];
    }

    private long count() throws SQLException {
        return Long.parseLong(query("select count(*) from audit_record"));
    }

    private long seqOf(String sourceId) throws SQLException {
        return Long.parseLong(query("select seq from audit_record where source_id = '" + sourceId + "'"));
    }

    private static void tamper(Statement s, String update) throws SQLException {
        s.execute("alter table audit_record disable trigger audit_record_no_update");
        try {
            s.executeUpdate(update);
        } finally {
            s.execute("alter table audit_record enable trigger audit_record_no_update");
        }
    }

    private String query(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
    }
}
