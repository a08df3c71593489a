package io.lungflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lungflow.platform.problem.Problem.FieldError;
import io.lungflow.platform.problem.ProblemException;
import org.junit.jupiter.api.Test;

/** Upload metadata is normalised, every invalid field is named, and non-chest images are out of scope. */
class UploadMetadataTest {

    @Test
    void normalisesCaseAndBlanks() {
        UploadMetadata m = new UploadMetadata("ct", " chest ", "", "  ", "PACS-A").validated();
        assertThat(m).isEqualTo(new UploadMetadata("CT", "CHEST", null, null, "PACS-A"));
    }

    @Test
    void namesEveryInvalidField() {
        assertThatThrownBy(() -> new UploadMetadata("MR", "chest<script>", null, "x".repeat(65), null).validated())
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.problem().errors())
                        .extracting(FieldError::field)
                        .containsExactlyInAnyOrder("modality", "bodyPart", "patientId"));
    }

    @Test
    void marksNonChestBodyPartsOutOfScope() {
        assertThat(new UploadMetadata(null, "CHEST", null, null, null).scope().inScope()).isTrue();
        assertThat(new UploadMetadata(null, null, null, null, null).scope().inScope()).isTrue();
        assertThat(new UploadMetadata(null, "KNEE", null, null, null).scope().reason()).contains("KNEE");
    }
}
