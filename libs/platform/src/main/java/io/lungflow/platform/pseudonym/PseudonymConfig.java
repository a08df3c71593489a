package io.lungflow.platform.pseudonym;

import io.smallrye.config.ConfigMapping;

/** The key pseudonyms are made with. Keep it secret and stable: a new key makes new pseudonyms. */
@ConfigMapping(prefix = "lungflow.pseudonym")
public interface PseudonymConfig {

    /** At least 32 bytes (UTF-8); env {@code LUNGFLOW_PSEUDONYM_KEY}. */
    String key();
}
