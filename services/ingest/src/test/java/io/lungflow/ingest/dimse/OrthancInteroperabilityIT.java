package io.lungflow.ingest.dimse;

import static io.lungflow.ingest.dimse.DicomPeers.assumeInstalled;
import static io.lungflow.ingest.dimse.DicomPeers.ingested;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lungflow.dicom.TransferSyntax;
import io.lungflow.schemas.ScanIngested.Channel;
import io.lungflow.schemas.ScanIngested;
import io.lungflow.testkit.ChildProcess;
import io.lungflow.testkit.Credentials;
import io.lungflow.testkit.InjectInfrastructure;
import io.lungflow.testkit.KafkaResource;
import io.lungflow.testkit.KafkaServer;
import io.lungflow.testkit.ObjectStore;
import io.lungflow.testkit.S3Resource;
import io.lungflow.testkit.SecurityResource;
import io.lungflow.testkit.TestDicom;
import io.lungflow.testkit.TopicReader;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Orthanc, the open-source PACS many hospitals and research groups run (Debian's orthanc and
 * orthanc-dicomweb packages, which .ci/run installs; skipped, and saying so, without them), holds a
 * study of three CT instances and sends it to lungflow twice: over DIMSE C-STORE (lungflow as a
 * configured modality) and over DICOMweb STOW-RS (lungflow as a configured DICOMweb server). Every
 * instance appears in S3 and on scans.ingested, once per channel, and Orthanc reports success.
 */
@QuarkusTest
@WithTestResource(SecurityResource.class)
@TestProfile(DicomPeers.Profile.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(S3Resource.class)
class OrthancInteroperabilityIT {

    private static final String DICOMWEB_PLUGIN = "/usr/lib/orthanc/libOrthancDicomWeb.so.1.7";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Long> SEEDS = List.of(71L, 72L, 73L);

    @InjectInfrastructure
    KafkaServer kafka;

    @InjectInfrastructure
    ObjectStore s3;

    @Inject
    DicomNode node;

    @TestHTTPResource("/dicomweb/")
    URL dicomweb;

    private Process orthanc;
    private Path work;
    private String orthancUrl;

    @BeforeEach
    void startOrthanc() throws Exception {
        assumeInstalled("Orthanc", "orthanc");
        assumeTrue(Files.exists(Path.of(DICOMWEB_PLUGIN)), "SKIPPED: Orthanc's DICOMweb plugin is absent (apt-get install orthanc-dicomweb)");
        work = Files.createTempDirectory("orthanc");
        int httpPort = ChildProcess.freePort();
        orthancUrl = "http://127.0.0.1:" + httpPort;
        ObjectNode config = JSON.createObjectNode()
                .put("Name", "lungflow-interop-test")
                .put("StorageDirectory", work.resolve("db").toString())
                .put("IndexDirectory", work.resolve("db").toString())
                .put("HttpPort", httpPort)
                .put("DicomPort", ChildProcess.freePort())
                .put("DicomAet", "ORTHANC")
                .put("RemoteAccessAllowed", false)
                .put("AuthenticationEnabled", false);
        config.putArray("Plugins").add(DICOMWEB_PLUGIN);
        config.putObject("DicomModalities").putArray("lungflow").add("LUNGFLOW").add("127.0.0.1").add(node.port());
        ObjectNode dicomWeb = config.putObject("DicomWeb").put("Enable", true).put("Root", "/dicom-web/");
        // Orthanc authenticates to lungflow as a PACS machine client, with the pacs role's API key.
        ObjectNode server = dicomWeb.putObject("Servers").putObject("lungflow").put("Url", dicomweb.toString());
        server.putObject("HttpHeaders").put("X-API-Key", Credentials.apiKey("pacs"));
        Path configFile = work.resolve("orthanc.json");
        JSON.writeValue(configFile.toFile(), config);
        orthanc = new ProcessBuilder("Orthanc", configFile.toString()).redirectErrorStream(true).redirectOutput(work.resolve("orthanc.log").toFile())
                .start();
        for (int attempt = 0; attempt < 100; attempt++) {
            try {
                if (client().send(HttpRequest.newBuilder(URI.create(orthancUrl + "/system")).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("Orthanc did not start:\n" + Files.readString(work.resolve("orthanc.log")));
    }

    @AfterEach
    void stopOrthanc() throws Exception {
        if (orthanc != null) {
            orthanc.destroy();
            orthanc.waitFor();
            System.out.println("Orthanc's log:\n" + Files.readString(work.resolve("orthanc.log")));
        }
    }

    @Test
    void orthancSendsAStudyOverCStoreAndOverStowRsAndEveryInstanceIsIngested() throws Exception {
        String study = null;
        for (long seed : SEEDS) {
            byte[] file = TestDicom.file(TestDicom.instance("CT", "CHEST", 64, seed), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
            JsonNode stored = post("/instances", HttpRequest.BodyPublishers.ofByteArray(file), "application/dicom");
            study = stored.get("ParentStudy").asText();
        }

        ObjectNode resources = JSON.createObjectNode();
        resources.putArray("Resources").add(study);
        JsonNode cStore = post("/modalities/lungflow/store", HttpRequest.BodyPublishers.ofString(resources.toString()), "application/json");
        assertThat(cStore.get("InstancesCount").asInt()).as("Orthanc's C-STORE answer %s", cStore).isEqualTo(SEEDS.size());
        assertThat(cStore.get("FailedInstancesCount").asInt()).isZero();

        post("/dicom-web/servers/lungflow/stow", HttpRequest.BodyPublishers.ofString(resources.toString()), "application/json");

        TopicReader reader = new TopicReader(kafka.bootstrapServers());
        for (long seed : SEEDS) {
            String sop = "1.2.826.0.1.3680043.8.498.300." + seed + "\"";
            ScanIngested overDimse = ingested(reader, s3, sop, Channel.C_STORE);
            assertThat(overDimse.source().callingAeTitle()).isEqualTo("ORTHANC");
            assertThat(overDimse.dicom().studyInstanceUid()).isEqualTo(TestDicom.STUDY_UID);
            ScanIngested overDicomweb = ingested(reader, s3, sop, Channel.STOW_RS);
            assertThat(overDicomweb.scope().inScope()).isTrue();
            // The same pixels by either road: the same scan.
            assertThat(overDicomweb.scanId()).isEqualTo(overDimse.scanId());
        }
    }

    /**
     * A client of its own for each call: Orthanc's web server may close a kept-alive connection
     * between calls, and a POST sent on such a connection fails without an answer.
     */
    private static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    private JsonNode post(String path, HttpRequest.BodyPublisher body, String type) throws Exception {
        HttpResponse<String> response = client().send(HttpRequest.newBuilder(URI.create(orthancUrl + path)).header("Content-Type", type)
                .timeout(Duration.ofSeconds(60)).POST(body).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("Orthanc POST %s: %s", path, response.body()).isEqualTo(200);
        return JSON.readTree(response.body().isBlank() ? "{}" : response.body());
    }
}
