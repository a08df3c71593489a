package io.lungflow.platform.pseudonym;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Pseudonyms are standard HMAC-SHA-256, stable for an identity, and different under another key. */
class PseudonymizerTest {

    @Test
    void matchesTheRfc4231TestVectorForALongKey() {
        byte[] key = new byte[131];
        Arrays.fill(key, (byte) 0xaa);
        String pseudonym = new Pseudonymizer(key).pseudonym("Test Using Larger Than Block-Size Key - Hash Key First");
        assertThat(pseudonym).isEqualTo("hmac-sha256:60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    }

    @Test
    void theSameIdentityGivesTheSamePseudonymAndAnotherKeyAnother() {
        Pseudonymizer a = new Pseudonymizer("a-key-of-thirty-two-bytes-or-more!!".getBytes(StandardCharsets.UTF_8));
        Pseudonymizer b = new Pseudonymizer("another-key-of-thirty-two-bytes-or-more".getBytes(StandardCharsets.UTF_8));
        assertThat(a.pseudonym("PID-00123")).isEqualTo(a.pseudonym(" PID-00123 ")).doesNotContain("00123");
        assertThat(a.pseudonym("PID-00123")).isNotEqualTo(b.pseudonym("PID-00123"));
        assertThat(a.pseudonym("PID-00123")).matches("hmac-sha256:[0-9a-f]{64}");
    }

    @Test
    void refusesAShortKeyAndAnEmptyIdentity() {
        assertThatThrownBy(() -> new Pseudonymizer("short".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("at least 32 bytes");
        Pseudonymizer p = new Pseudonymizer(new byte[32]);
        assertThatThrownBy(() -> p.pseudonym("  ")).hasMessageContaining("Nothing to pseudonymise");
    }
}
