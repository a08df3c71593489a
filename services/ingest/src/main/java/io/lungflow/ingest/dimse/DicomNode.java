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
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * lungflow as a DICOM node: a Storage SCP (C-STORE, C-ECHO) on {@code lungflow.dicom.port}
 * (11112) under AE title {@code lungflow.dicom.ae-title} (LUNGFLOW). Each received instance goes
 * through the same intake as an upload: de-identified copy in S3 first, then scans.ingested. The
 * C-STORE status says what happened: 0000 stored; A700 storage or broker unavailable (send again);
 * and, not to be sent again, C000 not a readable image, C001 larger than
 * {@code lungflow.ingest.max-upload-size} (refused as its bytes arrive, nothing kept), C002 a value
 * lungflow cannot keep (a UID or Modality outside what DICOM allows); each failure carries its
 * reason as the Error Comment.
 *
 * <p>A connection must complete its association request within
 * {@code lungflow.dicom.negotiation-timeout} of being accepted, and only
 * {@code max-negotiations-per-peer} connections of one IP address may be negotiating at once, so
 * peers that connect and then send slowly cannot hold the node: its association slots are taken
 * only once the AE titles have been checked.
 */
@ApplicationScoped
public class DicomNode {

    private static final Logger LOG = Logger.getLogger(DicomNode.class);
    /** How long a refused connection is given to send its request before it is answered and closed. */
    private static final long REFUSAL_MILLIS = 2000;

    private final DicomNodeConfig config;
    private final ScanIntake intake;
    private final IngestConfig ingest;
    private final Map<InetAddress, Integer> negotiatingPerPeer = new ConcurrentHashMap<>();
    private ServerSocket server;
    private ExecutorService connections;
    private ExecutorService refusals;
    private ScheduledExecutorService deadlines;
    private Semaphore slots;
    private Semaphore negotiations;
    private Path spool;

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
        negotiations = new Semaphore(config.maxNegotiations());
        // Each connection thread holds a negotiation permit or an association slot, so this many threads are never exceeded.
        connections = new ThreadPoolExecutor(0, config.maxAssociations() + config.maxNegotiations(), 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), daemons("dicom-association"));
        refusals = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(64), daemons("dicom-refusal"));
        deadlines = Executors.newSingleThreadScheduledExecutor(daemons("dicom-deadline"));
        spool = Files.createTempDirectory("lungflow-cstore-");
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
        for (ExecutorService pool : new ExecutorService[] {connections, refusals, deadlines}) {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    /** Where received instances are written while they arrive (each is deleted once answered). */
    Path spool() {
        return spool;
    }

    /** The port it listens on (the configured one, or the one chosen when configured 0). */
    public int port() {
        return server == null ? -1 : server.getLocalPort();
    }

    private void accept(Path spool) {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                InetAddress peer = socket.getInetAddress();
                if (!startNegotiation(peer)) {
                    LOG.warnf("A connection from %s is refused as transient: %s", peer.getHostAddress(),
                            negotiations.availablePermits() == 0 ? "all " + config.maxNegotiations() + " negotiation slots are taken"
                                    : "it already has " + config.maxNegotiationsPerPeer() + " connections negotiating");
                    refuse(socket);
                    continue;
                }
                Admission admission = new Admission(socket, peer);
                Association association = new Association(socket, config, this::store, spool, ingest.maxUploadSize().asLongValue(),
                        admission::admit);
                try {
                    connections.execute(() -> {
                        try {
                            association.run();
                        } finally {
                            admission.end();
                        }
                    });
                } catch (RejectedExecutionException e) {
                    admission.end();
                    refuse(socket);
                }
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.warnf("Accepting an association failed: %s", e.getMessage());
                }
            }
        }
    }

    private boolean startNegotiation(InetAddress peer) {
        if (!negotiations.tryAcquire()) {
            return false;
        }
        boolean[] admitted = {false};
        negotiatingPerPeer.compute(peer, (address, count) -> {
            int now = count == null ? 0 : count;
            if (now >= config.maxNegotiationsPerPeer()) {
                return count;
            }
            admitted[0] = true;
            return now + 1;
        });
        if (!admitted[0]) {
            negotiations.release();
        }
        return admitted[0];
    }

    private void endNegotiation(InetAddress peer) {
        negotiatingPerPeer.computeIfPresent(peer, (address, count) -> count <= 1 ? null : count - 1);
        negotiations.release();
    }

    /** Answers a connection there is no room for with a transient rejection, off the acceptor thread and within a deadline. */
    private void refuse(Socket socket) {
        try {
            refusals.execute(() -> {
                ScheduledFuture<?> close = deadlines.schedule(() -> closeQuietly(socket), REFUSAL_MILLIS, TimeUnit.MILLISECONDS);
                Association.refuseBusy(socket);
                close.cancel(false);
            });
        } catch (RejectedExecutionException e) {
            closeQuietly(socket);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    private static ThreadFactory daemons(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * One connection's way from accepted to associated: it holds a negotiation permit (and its peer's count) until its request
     * passes the AE title checks or its deadline closes it, then an association slot until it ends.
     */
    private final class Admission {
        private final Socket socket;
        private final InetAddress peer;
        private final ScheduledFuture<?> deadline;
        private boolean negotiating = true;
        private boolean associated;

        Admission(Socket socket, InetAddress peer) {
            this.socket = socket;
            this.peer = peer;
            this.deadline = deadlines.schedule(this::expire, config.negotiationTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }

        private synchronized void expire() {
            if (negotiating) {
                LOG.infof("A connection from %s did not complete its association request within %s: closed", peer.getHostAddress(),
                        config.negotiationTimeout());
                closeQuietly(socket);
            }
        }

        /** The request passed the AE title checks: true if an association slot was free (and is now taken). */
        synchronized boolean admit() {
            finishNegotiation();
            associated = slots.tryAcquire();
            if (!associated) {
                LOG.warnf("All %d association slots are taken: an association from %s is refused as transient (local limit exceeded)",
                        config.maxAssociations(), peer.getHostAddress());
            }
            return associated;
        }

        synchronized void end() {
            finishNegotiation();
            if (associated) {
                associated = false;
                slots.release();
            }
        }

        private void finishNegotiation() {
            if (negotiating) {
                negotiating = false;
                deadline.cancel(false);
                endNegotiation(peer);
            }
        }
    }

    private Association.Outcome store(Path part10, String callingAe) {
        long limit = ingest.maxUploadSize().asLongValue();
        try {
            intake.accept(() -> SpooledUpload.ofFile(part10, limit), ImageFormat.DICOM, new UploadMetadata(null, null, null, null, null),
                    new ScanIngested.Source(ScanIngested.Channel.C_STORE, null, callingAe.length() > 16 ? callingAe.substring(0, 16) : callingAe));
            return Association.Outcome.STORED;
        } catch (ProblemException e) {
            LOG.infof("C-STORE from %s refused (%d): %s", callingAe, e.problem().status(), e.problem().detail());
            int status = switch (e.problem().status()) {
                case 503 -> Association.OUT_OF_RESOURCES;
                case 413 -> Association.TOO_LARGE;
                case 422 -> Association.VALUE_NOT_KEPT;
                default -> Association.CANNOT_UNDERSTAND;
            };
            // The Error Comment holds 64 characters: for values refused, the fields at fault say most in them.
            String comment = e.problem().errors().isEmpty() ? e.problem().detail()
                    : String.join("; ", e.problem().errors().stream().map(f -> f.field() + " " + f.message()).toList());
            return new Association.Outcome(status, comment);
        } catch (RuntimeException e) {
            LOG.warnf(e, "C-STORE from %s failed", callingAe);
            return new Association.Outcome(Association.PROCESSING_FAILURE, "processing failure");
        }
    }
}
