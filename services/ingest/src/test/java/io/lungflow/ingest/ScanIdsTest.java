package io.lungflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Scan ids are the content's SHA-256 in UUID form: stable, and marked as version 8 UUIDs. */
class ScanIdsTest {

    @Test
    void isTheFirst128BitsOfTheHashWithVersionAndVariantSet() {
        // SHA-256("abc") = ba7816bf 8f01cfea 414140de 5dae2223 b00361a3 ... (FIPS 180-2 example)
        String id = ScanIds.fromSha256("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(id).isEqualTo("ba7816bf-8f01-8fea-8141-40de5dae2223");
        assertThat(UUID.fromString(id).version()).isEqualTo(8);
        assertThat(UUID.fromString(id).variant()).isEqualTo(2);
    }
}
