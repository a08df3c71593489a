package io.lungflow.ingest;

import io.lungflow.dicom.pixels.DecodeBudget;
import io.lungflow.ingest.messaging.IngestedEvents;
import io.lungflow.ingest.storage.ScanStore;
import io.lungflow.ingest.storage.StorageUnavailableException;
import io.lungflow.platform.images.ImagesConfig;
import io.lungflow.platform.problem.Problem;
import io.lungflow.platform.problem.ProblemException;
import io.lungflow.platform.pseudonym.Pseudonymizer;
import io.lungflow.schemas.ScanIngested;
import io.lungflow.schemas.SchemaValidator;
import io.lungflow.schemas.ScanIngested.ImageInfo;
import io.lungflow.schemas.ScanIngested.Source;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
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
    private static final SchemaValidator CONTRACT = new SchemaValidator();

    private final IngestConfig config;
    private final ImageInspector inspector;
    private final ScanStore store;
    private final IngestedEvents events;
    private final Pseudonymizer pseudonyms;
    private final IngestMetrics metrics;
    private final DicomIntake dicomIntake;

    ScanIntake(IngestConfig config, ScanStore store, IngestedEvents events, Pseudonymizer pseudonyms, IngestMetrics metrics,
            io.lungflow.platform.pseudonym.PseudonymConfig pseudonymConfig, ImagesConfig images, DecodeBudget decodeBudget) {
        this.config = config;
        this.inspector = new ImageInspector(config.minDimension(), images.limits(), decodeBudget, images.decodeWait(), config.retryAfter(),
                config.maxUploadSize().asLongValue());
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
                try (ImageInspector.Inspected image = inspector.inspect(upload.file(), upload.head(), declared)) {
                    AcceptedScan accepted = storeAndAnnounce(upload, image, meta, source);
                    metrics.accepted(channel, image.format().mediaType(), upload.size(),
                            Duration.ofNanos(System.nanoTime() - started), accepted.duplicate());
                    return accepted;
                }
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
        String patientId = dicom != null ? dicom.patientId() : meta.patientId();
        Path file = dicom != null ? dicom.file() : upload.file();
        long size = dicom != null ? dicom.size() : upload.size();
        String sha256 = dicom != null ? dicom.sha256() : upload.sha256();
        ScanIngested event = new ScanIngested(
                scanId,
                store.objectFor(scanId, image.format().extension(), size, sha256, image.format().mediaType()),
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
            // Whatever the services after ingest will be handed is checked against its contract first: a value they could not
            // keep (a 65-character UID, a Modality that is no DICOM code) is refused here, before anything is stored or announced.
            refuseOutsideContract(event);
            Map<String, String> metadata = dicom != null
                    ? Map.of("received-at", receivedAt.toString(), "channel", source.channel().name(), "deidentified", "PS3.15 basic")
                    : Map.of("received-at", receivedAt.toString(), "channel", source.channel().name());
            stored = store.store(scanId, image.format().extension(), file, size, sha256, image.format().mediaType(), metadata);
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

    /** Refuses (422) an event that its JSON schema would not accept, naming each field and what it holds wrong. */
    private static void refuseOutsideContract(ScanIngested event) {
        List<String> violations = CONTRACT.validateObject(event);
        if (violations.isEmpty()) {
            return;
        }
        List<Problem.FieldError> errors = violations.stream().map(ScanIntake::fieldError).toList();
        throw ProblemException.unprocessable("invalid-values", "The image cannot be accepted as it is: "
                + String.join("; ", errors.stream().map(e -> e.field() + " " + e.message()).toList())
                + ". Correct the values at the sender; nothing was stored.", errors);
    }

    /** A schema violation ({@code /dicom/studyInstanceUid: must be at most 64 characters long}) as a field and its fault. */
    static Problem.FieldError fieldError(String violation) {
        int colon = violation.indexOf(':');
        if (colon < 0) {
            return new Problem.FieldError("", violation);
        }
        String path = violation.substring(0, colon).strip().replaceFirst("^[$]?[./]", "").replace('/', '.');
        return new Problem.FieldError(path, violation.substring(colon + 1).strip());
    }

    private static String rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
