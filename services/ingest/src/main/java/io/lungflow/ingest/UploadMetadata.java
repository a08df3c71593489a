package io.lungflow.ingest;

import io.lungflow.platform.problem.Problem.FieldError;
import io.lungflow.platform.problem.ProblemException;
import io.lungflow.schemas.ScanIngested.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a sender may say about an uploaded image, all optional: form fields of a multipart upload,
 * or {@code Lungflow-*} headers of a raw one. The patient id is only ever kept as a pseudonym.
 */
public record UploadMetadata(String modality, String bodyPart, String studyReference, String patientId, String sourceSystem) {

    /** The modalities the models are trained for. */
    public static final Set<String> MODALITIES = Set.of("CT", "CR", "DX");
    private static final Pattern BODY_PART = Pattern.compile("[A-Za-z0-9 _-]{1,64}");
    private static final Pattern PRINTABLE = Pattern.compile("\\p{Print}+");

    public static final UploadMetadata NONE = new UploadMetadata(null, null, null, null, null);

    public UploadMetadata {
        modality = blankToNull(modality);
        bodyPart = blankToNull(bodyPart);
        studyReference = blankToNull(studyReference);
        patientId = blankToNull(patientId);
        sourceSystem = blankToNull(sourceSystem);
    }

    /** Normalised copy, or a 400 problem naming every invalid field. */
    public UploadMetadata validated() {
        List<FieldError> errors = new ArrayList<>();
        String mod = modality == null ? null : modality.toUpperCase(Locale.ROOT);
        if (mod != null && !MODALITIES.contains(mod)) {
            errors.add(new FieldError("modality", "must be one of CT, CR, DX, not '" + clip(modality) + "'"));
        }
        if (bodyPart != null && !BODY_PART.matcher(bodyPart).matches()) {
            errors.add(new FieldError("bodyPart", "must be 1 to 64 letters, digits, spaces, '_' or '-'"));
        }
        checkPrintable(errors, "studyReference", studyReference, 64);
        checkPrintable(errors, "patientId", patientId, 64);
        checkPrintable(errors, "sourceSystem", sourceSystem, 128);
        if (!errors.isEmpty()) {
            throw ProblemException.invalidFields("The upload's metadata is invalid; nothing was stored.", errors);
        }
        return new UploadMetadata(mod, bodyPart == null ? null : bodyPart.toUpperCase(Locale.ROOT),
                studyReference, patientId, sourceSystem);
    }

    /** Chest images are in scope; a body part that names something else is not. */
    public Scope scope() {
        if (bodyPart == null) {
            return Scope.in();
        }
        String part = bodyPart.toUpperCase(Locale.ROOT);
        if (part.contains("CHEST") || part.contains("THORAX") || part.contains("LUNG")) {
            return Scope.in();
        }
        return Scope.out("body part " + part + " is not the chest");
    }

    private static void checkPrintable(List<FieldError> errors, String field, String value, int max) {
        if (value != null && (value.length() > max || !PRINTABLE.matcher(value).matches())) {
            errors.add(new FieldError(field, "must be at most " + max + " printable characters"));
        }
    }

    private static String clip(String value) {
        return value.length() <= 16 ? value : value.substring(0, 16) + "…";
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
