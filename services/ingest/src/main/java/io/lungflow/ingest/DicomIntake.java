package io.lungflow.ingest;

import io.lungflow.dicom.Attributes;
import io.lungflow.dicom.Deidentifier;
import io.lungflow.dicom.DicomFile;
import io.lungflow.dicom.DicomWriter;
import io.lungflow.dicom.Tag;
import io.lungflow.schemas.ScanIngested;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;

/**
 * What ingest takes from a DICOM instance: the attributes the event carries, read from the file
 * (the upload's own fields fill what the file lacks), and the de-identified copy that is stored
 * in place of the original, so object storage holds no patient identifiers.
 */
final class DicomIntake {

    static final Set<String> MODALITIES = Set.of("CT", "CR", "DX");

    /** The stored copy and what the event says about the instance. */
    record Prepared(Path file, long size, String sha256, String modality, String bodyPart, String viewPosition, String studyReference,
            String patientId, ScanIngested.DicomUids uids, ScanIngested.Scope scope) {
    }

    private final Deidentifier deidentifier;

    DicomIntake(Deidentifier deidentifier) {
        this.deidentifier = deidentifier;
    }

    Prepared prepare(DicomFile dicom, UploadMetadata upload, String patientPseudonym, Path directory) throws IOException {
        Attributes a = dicom.dataset();
        String modality = first(a.getString(Tag.MODALITY), upload.modality());
        String bodyPart = first(a.getString(Tag.BODY_PART_EXAMINED), upload.bodyPart());
        String study = first(a.getString(Tag.ACCESSION_NUMBER), upload.studyReference());
        String patientId = first(a.getString(Tag.PATIENT_ID), upload.patientId());
        ScanIngested.DicomUids uids = a.getString(Tag.STUDY_INSTANCE_UID) == null || a.getString(Tag.SERIES_INSTANCE_UID) == null
                || a.getString(Tag.SOP_INSTANCE_UID) == null ? null
                : new ScanIngested.DicomUids(a.getString(Tag.STUDY_INSTANCE_UID), a.getString(Tag.SERIES_INSTANCE_UID),
                        a.getString(Tag.SOP_INSTANCE_UID), a.getString(Tag.SOP_CLASS_UID), dicom.transferSyntax().uid());
        Path file = Files.createTempFile(directory, "deidentified-", ".dcm");
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Attributes clean = deidentifier.deidentify(a, patientPseudonym);
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), sha)) {
            new DicomWriter().write(out, clean, dicom.transferSyntax());
        }
        return new Prepared(file, Files.size(file), HexFormat.of().formatHex(sha.digest()), modality == null ? null : modality.toUpperCase(Locale.ROOT),
                clip(bodyPart, 64), clip(a.getString(Tag.VIEW_POSITION), 16), clip(study, 64), patientId, uids, scope(modality, bodyPart));
    }

    /** In scope: CT, CR or DX, of the chest where the body part is given. Out of scope is accepted, and inference answers with a rejection. */
    static ScanIngested.Scope scope(String modality, String bodyPart) {
        if (modality == null || !MODALITIES.contains(modality.toUpperCase(Locale.ROOT))) {
            return ScanIngested.Scope.out("modality " + (modality == null ? "(none given)" : modality) + " is not CT, CR or DX");
        }
        return new UploadMetadata(modality, bodyPart, null, null, null).scope();
    }

    private static String first(String a, String b) {
        return a != null ? a : b;
    }

    private static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
