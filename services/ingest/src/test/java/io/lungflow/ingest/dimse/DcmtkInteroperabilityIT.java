package io.lungflow.ingest.dimse;

import static io.lungflow.ingest.dimse.DicomPeers.assumeInstalled;
import static io.lungflow.ingest.dimse.DicomPeers.ingested;
import static org.assertj.core.api.Assertions.assertThat;

import io.lungflow.dicom.Attributes;
import io.lungflow.dicom.DicomReader;
import io.lungflow.dicom.Tag;
import io.lungflow.dicom.VR;
import io.lungflow.dicom.TransferSyntax;
import io.lungflow.dicom.pixels.DecodedImage;
import io.lungflow.dicom.pixels.DicomPixels;
import io.lungflow.dicom.pixels.PixelOptions;
import io.lungflow.ingest.TestImages;
import io.lungflow.schemas.ScanIngested.Channel;
import io.lungflow.schemas.ScanIngested;
import io.lungflow.schemas.Topics;
import io.lungflow.testkit.InjectInfrastructure;
import io.lungflow.testkit.KafkaResource;
import io.lungflow.testkit.KafkaServer;
import io.lungflow.testkit.ObjectStore;
import io.lungflow.testkit.S3Resource;
import io.lungflow.testkit.SecurityResource;
import io.lungflow.testkit.TestDicom;
import io.lungflow.testkit.TopicReader;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Storage SCP against dcmtk, the reference tools hospital systems are built on (Debian's
 * dcmtk package, which .ci/run installs; skipped, and saying so, without it): echoscu; storescu
 * with uncompressed, RLE (made by dcmcrle), JPEG baseline (made by img2dcm), JPEG lossless and 12-bit
 * JPEG extended (made by dcmcjpeg) and JPEG 2000 (made by GDCM's gdcmconv) files, each of which appears in S3 and on scans.ingested; several associations
 * at once; one more than the node has slots for, rejected as transient; and an unlisted calling
 * AE title, which is refused.
 */
@QuarkusTest
@WithTestResource(SecurityResource.class)
@TestProfile(DicomPeers.Profile.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(S3Resource.class)
class DcmtkInteroperabilityIT {

    @InjectInfrastructure
    KafkaServer kafka;

    @InjectInfrastructure
    ObjectStore s3;

    @Inject
    DicomNode node;

    private Path work;

    @BeforeEach
    void tools() throws Exception {
        for (String tool : List.of("echoscu", "storescu", "dcmcrle", "img2dcm")) {
            assumeInstalled(tool, "dcmtk");
        }
        work = Files.createTempDirectory("dcmtk");
    }

    @Test
    void echoscuIsAnswered() throws Exception {
        assertThat(run("echoscu", "-aet", "PACS_TEST", "-aec", "LUNGFLOW", "127.0.0.1", port()).exit()).isZero();
    }

    @Test
    void storescuSendsUncompressedRleAndJpegBaselineAndEachIsIngested() throws Exception {
        Path plain = ct(61);
        Path rle = work.resolve("rle.dcm");
        assertThat(run("dcmcrle", ct(62).toString(), rle.toString()).exit()).isZero();
        Path jpg = work.resolve("chest.jpg");
        Files.write(jpg, TestImages.jpeg(96, 80, 63));
        Path jpeg = work.resolve("jpeg.dcm");
        assertThat(run("img2dcm", "-k", "Modality=DX", "-k", "BodyPartExamined=CHEST", "-k", "PatientID=MRN-JPEG", jpg.toString(),
                jpeg.toString()).exit()).isZero();

        // -xr and -xy propose RLE and JPEG baseline (with uncompressed), so the compressed files travel compressed.
        Map<Path, String> proposals = Map.of(plain, "-x=", rle, "-xr", jpeg, "-xy");
        for (Path file : List.of(plain, rle, jpeg)) {
            assertThat(run("storescu", proposals.get(file), "-aet", "PACS_TEST", "-aec", "LUNGFLOW", "127.0.0.1", port(), file.toString()).exit())
                    .as("storescu %s", file.getFileName()).isZero();
        }
        TopicReader reader = new TopicReader(kafka.bootstrapServers());
        for (String uid : List.of(sop(61), sop(62))) {
            ScanIngested e = ingested(reader, s3, uid, Channel.C_STORE);
            assertThat(e.source().callingAeTitle()).isEqualTo("PACS_TEST");
            assertThat(e.modality()).isEqualTo("CT");
        }
        assertThat(ingested(reader, s3, sop(62), Channel.C_STORE).dicom().transferSyntaxUid()).isEqualTo(TransferSyntax.RLE_LOSSLESS.uid());
        ScanIngested jpegEvent = ingested(reader, s3, TransferSyntax.JPEG_BASELINE.uid() + "\"", Channel.C_STORE);
        assertThat(jpegEvent.modality()).isEqualTo("DX");
        assertThat(jpegEvent.image().width()).isEqualTo(96);
    }

    @Test
    void storescuSendsJpeg2000MadeByGdcmAndItsPixelsAreTheOriginals() throws Exception {
        assumeInstalled("gdcmconv", "libgdcm-tools");
        Path original = ct(64);
        Path j2k = work.resolve("j2k.dcm");
        assertThat(run("gdcmconv", "--j2k", original.toString(), j2k.toString()).exit()).isZero();
        // Lossless JPEG 2000 from an independent encoder decodes to exactly the original Hounsfield values.
        assertThat(decode(j2k).modalityValues()).containsExactly(decode(original).modalityValues());

        assertThat(run("storescu", "-xv", "-aet", "PACS_TEST", "-aec", "LUNGFLOW", "127.0.0.1", port(), j2k.toString()).exit()).isZero();
        ScanIngested e = ingested(new TopicReader(kafka.bootstrapServers()), s3, sop(64), Channel.C_STORE);
        assertThat(e.dicom().transferSyntaxUid()).isEqualTo(TransferSyntax.JPEG_2000_LOSSLESS.uid());
        assertThat(e.image().width()).isEqualTo(64);
    }

    @Test
    void storescuSendsJpegLosslessAndTwelveBitJpegMadeByDcmcjpegAndEachIsIngested() throws Exception {
        assumeInstalled("dcmcjpeg", "dcmtk");
        Path lossless = work.resolve("lossless.dcm");
        assertThat(run("dcmcjpeg", "+e1", ct(65).toString(), lossless.toString()).exit()).isZero();
        Path extended = work.resolve("extended.dcm");
        assertThat(run("dcmcjpeg", "+ee", "+un", ct(66).toString(), extended.toString()).exit()).isZero();
        assertThat(decode(lossless).modalityValues()).containsExactly(decode(ct(65)).modalityValues());

        assertThat(run("storescu", "-xs", "-aet", "PACS_TEST", "-aec", "LUNGFLOW", "127.0.0.1", port(), lossless.toString()).exit()).isZero();
        assertThat(run("storescu", "-xx", "-aet", "PACS_TEST", "-aec", "LUNGFLOW", "127.0.0.1", port(), extended.toString()).exit()).isZero();
        TopicReader reader = new TopicReader(kafka.bootstrapServers());
        assertThat(ingested(reader, s3, sop(65), Channel.C_STORE).dicom().transferSyntaxUid()).isEqualTo(TransferSyntax.JPEG_LOSSLESS_SV1.uid());
        assertThat(ingested(reader, s3, sop(66), Channel.C_STORE).dicom().transferSyntaxUid()).isEqualTo(TransferSyntax.JPEG_EXTENDED.uid());
    }

    @Test
    void anInstanceInManySmallPdusIsReassembledAndAnAbortedAssociationKeepsWhatWasStored() throws Exception {
        Path large = work.resolve("large.dcm");
        Files.write(large, TestDicom.file(TestDicom.instance("CT", "CHEST", 256, 67), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
        // 128 KB of pixels in P-DATA PDUs of at most 4 KB each.
        assertThat(run("storescu", "--max-send-pdu", "4096", "-aet", "PACS_TEST", "-aec", "LUNGFLOW", "127.0.0.1", port(), large.toString()).exit())
                .isZero();
        TopicReader reader = new TopicReader(kafka.bootstrapServers());
        assertThat(ingested(reader, s3, sop(67), Channel.C_STORE).image().width()).isEqualTo(256);

        // The peer aborts (A-ABORT) instead of releasing: the instance it was answered for is kept, and the node serves the next peer.
        assertThat(run("storescu", "--abort", "-aet", "PACS_TEST", "-aec", "LUNGFLOW", "127.0.0.1", port(), ct(68).toString()).exit()).isZero();
        ingested(reader, s3, sop(68), Channel.C_STORE);
        assertThat(run("echoscu", "-aet", "PACS_TEST", "-aec", "LUNGFLOW", "127.0.0.1", port()).exit()).isZero();
    }

    @Test
    void aSilentConnectionIsClosedAtTheNegotiationDeadline() throws Exception {
        try (Socket silent = new Socket(InetAddress.getLoopbackAddress(), node.port())) {
            silent.setSoTimeout(30_000);
            long start = System.nanoTime();
            // The node closes it (3 s in this profile): the read sees the end of the stream rather than timing out.
            assertThat(silent.getInputStream().read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(29));
        }
    }

    @Test
    void sixteenConnectionsDrippingAByteASecondNeitherBlockAPacsNorStayOpen() throws Exception {
        // The attacker is another address (127.0.0.2 is loopback too), so the per-peer cap applies to it and not to the PACS.
        InetAddress attacker = InetAddress.getByName("127.0.0.2");
        List<Socket> drips = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Socket drip = new Socket();
            drip.bind(new InetSocketAddress(attacker, 0));
            drip.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), node.port()));
            drips.add(drip);
        }
        long start = System.nanoTime();
        ScheduledExecutorService dripper = Executors.newSingleThreadScheduledExecutor();
        // The first bytes of an A-ASSOCIATE-RQ announcing 1 MB, one byte a second on every connection: each read is well within
        // the idle timeout, so only an overall deadline ends them.
        byte[] request = {0x01, 0, 0, 0x10, 0, 0, 0, 1, 0, 0};
        int[] sent = {0};
        dripper.scheduleAtFixedRate(() -> {
            for (Socket drip : drips) {
                try {
                    drip.getOutputStream().write(request[Math.min(sent[0], request.length - 1)]);
                } catch (IOException closed) {
                    // the node closed it
                }
            }
            sent[0]++;
        }, 0, 1, TimeUnit.SECONDS);
        try {
            Thread.sleep(1500);
            // While they drip, a PACS stores, and its instance arrives.
            assertThat(run("storescu", "-aet", "PACS_TEST", "-aec", "LUNGFLOW", "127.0.0.1", port(), ct(171).toString()).exit()).isZero();
            ingested(new TopicReader(kafka.bootstrapServers()), s3, sop(171), Channel.C_STORE);
            // Each dripping connection is closed by the node: the refused ones at once, the others at the 3 s deadline.
            for (Socket drip : drips) {
                drip.setSoTimeout(20_000);
                assertThat(endOf(drip)).as("the node closed the connection").isTrue();
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
        } finally {
            dripper.shutdownNow();
            for (Socket drip : drips) {
                drip.close();
            }
        }
    }

    @Test
    void anInstanceOverTheLimitIsRefusedAsItArrivesWithAStatusNotToRetryAndTheAssociationGoesOn() throws Exception {
        // 2000 × 2000 16-bit pixels, 8 MB, against this profile's 1 MB limit; then an ordinary instance on the same association.
        Path large = work.resolve("over.dcm");
        Files.write(large, TestDicom.file(TestDicom.instance("CT", "CHEST", 2000, 172), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
        long limit = 1L << 20;
        long[] mostSpooled = {0};
        ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor();
        watch.scheduleAtFixedRate(() -> mostSpooled[0] = Math.max(mostSpooled[0], spooledBytes()), 0, 2, TimeUnit.MILLISECONDS);
        DicomPeers.Result sent;
        try {
            // -d prints the response's elements, its Error Comment among them; --no-halt goes on after a failed store.
            sent = run("storescu", "-d", "--no-halt", "--max-send-pdu", "16384", "-aet", "PACS_TEST", "-aec", "LUNGFLOW", "127.0.0.1", port(),
                    large.toString(), ct(173).toString());
        } finally {
            watch.shutdownNow();
        }
        // C001 is in the Cxxx range ("cannot understand"), which a PACS does not send again, unlike A7xx ("out of resources").
        assertThat(sent.output()).contains("0xc001: Error: Cannot understand").contains("[larger than the 1048576-byte limit; not stored]")
                .contains("0x0000: Success");
        assertThat(mostSpooled[0]).as("bytes on the node's disk at once").isLessThanOrEqualTo(limit + 16384);
        ingested(new TopicReader(kafka.bootstrapServers()), s3, sop(173), Channel.C_STORE);
        assertThat(new TopicReader(kafka.bootstrapServers()).readAll(Topics.SCANS_INGESTED)).noneMatch(r -> r.value().contains(sop(172)));
        try (Stream<Path> left = Files.list(node.spool())) {
            assertThat(left).as("files left in the spool").isEmpty();
        }
    }

    @Test
    void anInstanceWithAnOverlongUidOrABadModalityIsRefusedNamingItAndNothingIsKept() throws Exception {
        // An 82-character Study Instance UID (DICOM allows 64) and a Modality of four characters, which results could not store.
        Attributes longUid = TestDicom.instance("CT", "CHEST", 64, 174);
        longUid.putString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2.826.0.1.3680043.8.498." + "1234567890".repeat(5) + ".12345");
        Path longUidFile = work.resolve("long-uid.dcm");
        Files.write(longUidFile, TestDicom.file(longUid, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
        Path badModality = work.resolve("bad-modality.dcm");
        Files.write(badModality, TestDicom.file(TestDicom.instance("CTXX", "CHEST", 64, 175), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));

        long objectsBefore = objectCount();
        DicomPeers.Result sent = run("storescu", "-d", "--no-halt", "-aet", "PACS_TEST", "-aec", "LUNGFLOW", "127.0.0.1", port(),
                longUidFile.toString(), badModality.toString(), ct(176).toString());
        // C002 (in the Cxxx range a PACS does not send again), each with the field at fault as its Error Comment.
        assertThat(sent.output()).contains("0xc002: Error: Cannot understand").contains("dicom.studyInstanceUid").contains("modality")
                .contains("0x0000: Success");
        TopicReader reader = new TopicReader(kafka.bootstrapServers());
        ingested(reader, s3, sop(176), Channel.C_STORE);
        assertThat(reader.readAll(Topics.SCANS_INGESTED)).noneMatch(r -> r.value().contains(sop(174)) || r.value().contains(sop(175)));
        // The refused instances were not stored either: the one object more in S3 is the accepted one's.
        assertThat(objectCount()).isEqualTo(objectsBefore + 1);
    }

    private long objectCount() throws Exception {
        long n = 0;
        for (io.minio.Result<io.minio.messages.Item> item : s3.client().listObjects(io.minio.ListObjectsArgs.builder().bucket("scans")
                .recursive(true).build())) {
            item.get();
            n++;
        }
        return n;
    }

    private long spooledBytes() {
        try (Stream<Path> files = Files.list(node.spool())) {
            return files.mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Reads until the node ends the connection (end of stream or reset): true, or false if it stays open past the timeout. */
    private static boolean endOf(Socket socket) {
        try {
            InputStream in = socket.getInputStream();
            while (in.read() != -1) {
                // its answer (a rejection), if any
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    @Test
    void fourPeersSendingAtOnceAreEachServedAndEveryInstanceIsIngested() throws Exception {
        List<CompletableFuture<DicomPeers.Result>> sends = new ArrayList<>();
        for (int peer = 1; peer <= 4; peer++) {
            List<String> command = new ArrayList<>(List.of("storescu", "-aet", "PACS_" + peer, "-aec", "LUNGFLOW", "127.0.0.1", port()));
            for (int i = 0; i < 3; i++) {
                command.add(ct(800 + peer * 10 + i).toString());
            }
            sends.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return run(command.toArray(String[]::new));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (CompletableFuture<DicomPeers.Result> send : sends) {
            assertThat(send.get().exit()).isZero();
        }
        TopicReader reader = new TopicReader(kafka.bootstrapServers());
        for (int peer = 1; peer <= 4; peer++) {
            for (int i = 0; i < 3; i++) {
                assertThat(ingested(reader, s3, sop(800 + peer * 10 + i), Channel.C_STORE).source().callingAeTitle()).isEqualTo("PACS_" + peer);
            }
        }
    }

    @Test
    void anAssociationBeyondTheNodesSlotsIsRejectedAsTransientAndServedOnceOneIsFree() throws Exception {
        // Four accepted associations, left open, hold the profile's four slots.
        List<Socket> held = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            held.add(DicomPeers.associate(node.port(), "PACS_" + (i + 1)));
        }
        DicomPeers.Result busy = run("echoscu", "-aet", "PACS_TEST", "-aec", "LUNGFLOW", "127.0.0.1", port());
        assertThat(busy.exit()).isNotZero();
        assertThat(busy.output()).containsIgnoringCase("Transient").containsIgnoringCase("Local Limit Exceeded");
        for (Socket s : held) {
            s.close();
        }
        // The node sees each closed connection end, and its slot comes back.
        int exit = -1;
        for (int attempt = 0; attempt < 50 && exit != 0; attempt++) {
            Thread.sleep(100);
            exit = run("echoscu", "-aet", "PACS_TEST", "-aec", "LUNGFLOW", "127.0.0.1", port()).exit();
        }
        assertThat(exit).isZero();
    }

    @Test
    void anUnlistedCallingAeTitleOrAnotherCalledAeTitleIsRefused() throws Exception {
        assertThat(run("echoscu", "-aet", "INTRUDER", "-aec", "LUNGFLOW", "127.0.0.1", port()).exit()).isNotZero();
        assertThat(run("echoscu", "-aet", "PACS_TEST", "-aec", "WRONG_NODE", "127.0.0.1", port()).exit()).isNotZero();
        assertThat(run("echoscu", "-aet", "ORTHANC", "-aec", "LUNGFLOW", "127.0.0.1", port()).exit()).isZero();
    }

    private Path ct(long seed) throws Exception {
        Path file = work.resolve("ct-" + seed + ".dcm");
        Files.write(file, TestDicom.file(TestDicom.instance("CT", "CHEST", 64, seed), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
        return file;
    }

    private static String sop(long seed) {
        return "1.2.826.0.1.3680043.8.498.300." + seed + "\"";
    }

    private static DecodedImage decode(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return DicomPixels.decode(new DicomReader().read(in), PixelOptions.defaults());
        }
    }

    private String port() {
        return Integer.toString(node.port());
    }

    private DicomPeers.Result run(String... command) throws Exception {
        return DicomPeers.run(work, command);
    }
}
