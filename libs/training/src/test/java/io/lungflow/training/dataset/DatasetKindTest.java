package io.lungflow.training.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which recipe a dataset gets by default: its kind, from its name and classes, or as --kind says. */
class DatasetKindTest {

    static Dataset named(String name, String... classes) {
        return new Dataset(name, Path.of(name), "class-folders", List.of(classes), List.of(), List.of());
    }

    @Test
    void theSharedDatasetsAreTheirKinds() {
        assertThat(DatasetKind.of(named("covid-ct", "covid", "non-covid"))).isEqualTo(DatasetKind.CT);
        assertThat(DatasetKind.of(named("sarscov2-ct", "covid", "non-covid"))).isEqualTo(DatasetKind.CT);
        assertThat(DatasetKind.of(named("covid-radiography", "covid", "normal"))).isEqualTo(DatasetKind.XRAY);
        assertThat(DatasetKind.of(named("covid19-xray-3class", "covid", "normal", "viral-pneumonia"))).isEqualTo(DatasetKind.XRAY_3CLASS);
    }

    @Test
    void kindIsParsedAsWrittenOnTheCommandLine() {
        assertThat(DatasetKind.parse("xray-3class")).isEqualTo(DatasetKind.XRAY_3CLASS);
        assertThat(DatasetKind.parse("X-Ray")).isEqualTo(DatasetKind.XRAY);
        assertThatThrownBy(() -> DatasetKind.parse("mri")).hasMessageContaining("use ct, xray or xray-3class");
    }
}
