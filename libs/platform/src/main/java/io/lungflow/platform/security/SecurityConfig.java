package io.lungflow.platform.security;

import io.smallrye.config.ConfigMapping;
import java.util.List;
import java.util.Optional;

/** Machine clients' API keys. Bearer tokens are configured with the standard {@code mp.jwt.verify.*} settings. */
@ConfigMapping(prefix = "lungflow.security")
public interface SecurityConfig {

    /**
     * API keys as {@code name:role:sha256hex}, the hex SHA-256 of the key (the key itself is never
     * configured). A client sends the key in the {@code X-API-Key} header and acts as
     * {@code apikey:name} with that role.
     */
    Optional<List<String>> apiKeys();
}
