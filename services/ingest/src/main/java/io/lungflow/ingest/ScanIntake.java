package io.lungflow.ingest;

import io.lungflow.ingest.messaging.IngestedEvents;
import io.lungflow.ingest.storage.ScanStore;
import io.lungflow.ingest.storage.StorageUnavailableException;
import io.lungflow.platform.problem.ProblemException;
import io.lungflow.platform.pseudonym.Pseudonymizer;
import io.lungflow.schemas.ScanIngested;
import io.lungflow.schemas.ScanIngested.ImageInfo;
import io.lungflow.schemas.ScanIngested.Source;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Accepts one image: validates it, stores it, then announces it. The order is the guarantee:
 * nothing is stored before the image is proven sound, and no event is sent before its object is
 * stored. An upload is accepted only once the broker has acknowledged the event; if storage or the
 * broker fails, the caller is told to retry, and the retry, having the same bytes, has the same
 * scan id.
 */
@ApplicationScoped
public class ScanIntake {

    private static final Logger LOG = Logger.getLogger(ScanIntake.class);

    private final IngestConfig config;
    private final ImageInspector inspector;
    private final ScanStore store;
    private final IngestedEvents events;
    private final Pseudonymizer pseudonyms;
    private final IngestMetrics metrics;
    private final DicomIntake dicomIntake;

    ScanIntake(IngestConfig config, ScanStore store, IngestedEvents events, Pseudonymizer pseudonyms, IngestMetrics metrics,
            io.lungflow.platform.pseudonym.PseudonymConfig pseudonymConfig) {
        this.config = config;
        this.inspector = new ImageInspector(config.minDimension(), config.maxDimension(), config.maxPixels(), config.maxUploadSize().asLongValue());
        this.store = store;
        this.events = events;
        this.pseudonyms = pseudonyms;
        this.metrics = metrics;
        this.dicomIntake = new DicomIntake(new io.lungflow.dicom.Deidentifier(
                pseudonymConfig.key().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** Opens the uploaded body on disk; may itself refuse it (413). */
    @FunctionalInterface
    public interface Body {
        SpooledUpload open();
    }

    /**
     * @param declared the format the sender declared, or null to recognise it from the bytes
     */
    public AcceptedScan accept(Body body, ImageFormat declared, UploadMetadata metadata, Source source) {
        long started = System.nanoTime();
        String channel = source.channel().name().toLowerCase(Locale.ROOT);
        try {
            UploadMetadata meta = metadata.validated();
            try (SpooledUpload upload = body.open()) {
                if (upload.size() == 0) {
                    throw ProblemException.badRequest("empty-body", "The request has no image: the body is empty.");
                }
                ImageInspector.Inspected image = inspector.inspect(upload.file(), upload.head(), declared);
                AcceptedScan accepted = storeAndAnnounce(upload, image, meta, source);
                metrics.accepted(channel, image.format().mediaType(), upload.size(),
                        Duration.ofNanos(System.nanoTime() - started), accepted.duplicate());
                return accepted;
            }
        } catch (ProblemException e) {
            metrics.rejected(channel, e.problem().code());
            throw e;
        }
    }

    private AcceptedScan storeAndAnnounce(SpooledUpload upload, ImageInspector.Inspected image, UploadMetadata meta, Source source) {
        String scanId = ScanIds.fromSha256(upload.sha256());
        Instant receivedAt = Instant.now();
        DicomIntake.Prepared dicom = null;
        if (image.dicom() != null) {
            String patientId = image.dicom().dataset().getString(io.lungflow.dicom.Tag.PATIENT_ID);
            String pseudonym = patientId != null ? pseudonyms.pseudonym(patientId)
                    : meta.patientId() != null ? pseudonyms.pseudonym(meta.patientId()) : null;
            try {
                dicom = dicomIntake.prepare(image.dicom(), meta, pseudonym, upload.file().getParent());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        ScanStore.Stored stored;
        try {
            stored = dicom != null
                    ? store.store(scanId, image.format().extension(), dicom.file(), dicom.size(), dicom.sha256(), image.format().mediaType(),
                            Map.of("received-at", receivedAt.toString(), "channel", source.channel().name(), "deidentified", "PS3.15 basic"))
                    : store.store(scanId, image.format().extension(), upload.file(), upload.size(), upload.sha256(),
                            image.format().mediaType(), Map.of("received-at", receivedAt.toString(), "channel", source.channel().name()));
        } catch (StorageUnavailableException e) {
            LOG.warnf("Scan %s refused: object store unavailable (%s)", scanId, rootCause(e));
            throw ProblemException.unavailable("storage-unavailable",
                    "The object store is unavailable, so the image was not accepted. Retry later.", config.retryAfter(), e);
        } finally {
            if (dicom != null) {
                try {
                    java.nio.file.Files.deleteIfExists(dicom.file());
                } catch (java.io.IOException ignored) {
                    // a temporary file in the upload's directory; the spool's cleanup covers it
                }
            }
        }
        String patientId = dicom != null ? dicom.patientId() : meta.patientId();
        ScanIngested event = new ScanIngested(
                scanId,
                stored.object(),
                receivedAt,
                source,
                new ImageInfo(image.width(), image.height(), null),
                dicom != null ? dicom.modality() : meta.modality(),
                dicom != null ? dicom.bodyPart() : meta.bodyPart(),
                dicom != null ? dicom.viewPosition() : null,
                dicom != null ? dicom.studyReference() : meta.studyReference(),
                patientId == null ? null : pseudonyms.pseudonym(patientId),
                dicom != null ? dicom.uids() : null,
                dicom != null ? dicom.scope() : meta.scope());
        try {
            events.publish(event, config.brokerAckTimeout());
        } catch (RuntimeException e) {
            LOG.warnf("Scan %s stored but not announced: broker unavailable (%s)", scanId, rootCause(e));
            throw ProblemException.unavailable("broker-unavailable",
                    "The image is stored but the broker did not acknowledge it, so it was not accepted yet. "
                            + "Retry with the same image: it keeps the same scan id.",
                    config.retryAfter(), e);
        }
        LOG.infof("Accepted scan %s (%s, %d bytes%s)", scanId, image.format().mediaType(), upload.size(),
                stored.alreadyStored() ? ", already stored" : "");
        return new AcceptedScan(scanId, "ACCEPTED", config.statusBaseUrl() + scanId, upload.sha256(),
                stored.alreadyStored(), event.scope());
    }

    private static String rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
