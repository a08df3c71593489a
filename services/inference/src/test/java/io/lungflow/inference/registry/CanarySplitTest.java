package io.lungflow.inference.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The canary's share is honoured, and a scan always falls on the same side. */
class CanarySplitTest {

    @Test
    void aShareOfScansGoesToTheCanaryAlwaysTheSameOnes() {
        int inCanary = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            String id = UUID.nameUUIDFromBytes(("scan-" + i).getBytes()).toString();
            boolean first = CanarySplit.inCanary(id, 0.1);
            assertThat(CanarySplit.inCanary(id, 0.1)).isEqualTo(first);
            if (first) {
                inCanary++;
                assertThat(CanarySplit.inCanary(id, 0.3)).as("a larger share keeps the scans of a smaller one").isTrue();
            }
        }
        // 10% of 20,000 with a binomial standard deviation of about 42.
        assertThat((double) inCanary / n).isCloseTo(0.1, within(0.01));
    }

    @Test
    void noShareAndFullShare() {
        assertThat(CanarySplit.inCanary("any", 0)).isFalse();
        assertThat(CanarySplit.inCanary("any", 1)).isTrue();
    }
}
