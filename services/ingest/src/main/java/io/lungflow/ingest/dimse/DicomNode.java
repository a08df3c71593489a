package io.lungflow.ingest.dimse;

import io.lungflow.ingest.ImageFormat;
import io.lungflow.ingest.IngestConfig;
import io.lungflow.ingest.ScanIntake;
import io.lungflow.ingest.SpooledUpload;
import io.lungflow.ingest.UploadMetadata;
import io.lungflow.platform.problem.ProblemException;
import io.lungflow.schemas.ScanIngested;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.jboss.logging.Logger;

/**
 * lungflow as a DICOM node: a Storage SCP (C-STORE, C-ECHO) on {@code lungflow.dicom.port}
 * (11112) under AE title {@code lungflow.dicom.ae-title} (LUNGFLOW). Each received instance goes
 * through the same intake as an upload: de-identified copy in S3 first, then scans.ingested. The
 * C-STORE status says what happened: 0000 stored, A700 storage or broker unavailable (send again),
 * C000 not a readable image.
 */
@ApplicationScoped
public class DicomNode {

    private static final Logger LOG = Logger.getLogger(DicomNode.class);

    private final DicomNodeConfig config;
    private final ScanIntake intake;
    private final IngestConfig ingest;
    private ServerSocket server;
    private ExecutorService associations;
    private Semaphore slots;

    DicomNode(DicomNodeConfig config, ScanIntake intake, IngestConfig ingest) {
        this.config = config;
        this.intake = intake;
        this.ingest = ingest;
    }

    void start(@Observes StartupEvent event) throws IOException {
        if (!config.enabled()) {
            LOG.info("DICOM node disabled (lungflow.dicom.enabled=false)");
            return;
        }
        List<String> allowed = config.allowedCallingAeTitles().orElse(List.of());
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(config.port()));
        slots = new Semaphore(config.maxAssociations());
        associations = Executors.newFixedThreadPool(config.maxAssociations(), r -> {
            Thread t = new Thread(r, "dicom-association");
            t.setDaemon(true);
            return t;
        });
        Path spool = Files.createTempDirectory("lungflow-cstore-");
        Thread acceptor = new Thread(() -> accept(spool), "dicom-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
        LOG.infof("DICOM node %s listening on port %d (C-STORE for CT, CR, DX, Secondary Capture; C-ECHO); %s", config.aeTitle(), port(),
                allowed.isEmpty() ? "no calling AE title allow-list is configured: any calling AE title is accepted"
                        : "calling AE titles allowed: " + allowed);
    }

    void stop(@Observes ShutdownEvent event) {
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException ignored) {
            // closing
        }
        if (associations != null) {
            associations.shutdownNow();
        }
    }

    /** The port it listens on (the configured one, or the one chosen when configured 0). */
    public int port() {
        return server == null ? -1 : server.getLocalPort();
    }

    private void accept(Path spool) {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                if (!slots.tryAcquire()) {
                    LOG.warnf("All %d association slots are taken: an association from %s is refused as transient (local limit exceeded)",
                            config.maxAssociations(), socket.getInetAddress().getHostAddress());
                    Association.refuseBusy(socket);
                    continue;
                }
                Association association = new Association(socket, config, this::store, spool);
                associations.submit(() -> {
                    try {
                        association.run();
                    } finally {
                        slots.release();
                    }
                });
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.warnf("Accepting an association failed: %s", e.getMessage());
                }
            }
        }
    }

    private int store(Path part10, String callingAe) {
        long limit = ingest.maxUploadSize().asLongValue();
        try {
            intake.accept(() -> SpooledUpload.ofFile(part10, limit), ImageFormat.DICOM, new UploadMetadata(null, null, null, null, null),
                    new ScanIngested.Source(ScanIngested.Channel.C_STORE, null, callingAe.length() > 16 ? callingAe.substring(0, 16) : callingAe));
            return 0x0000;
        } catch (ProblemException e) {
            LOG.infof("C-STORE from %s refused (%d): %s", callingAe, e.problem().status(), e.problem().detail());
            return e.problem().status() == 503 || e.problem().status() == 413 ? 0xA700 : 0xC000;
        } catch (RuntimeException e) {
            LOG.warnf(e, "C-STORE from %s failed", callingAe);
            return 0x0110;
        }
    }
}
