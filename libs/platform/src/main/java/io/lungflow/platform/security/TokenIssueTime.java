package io.lungflow.platform.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * Refuses (401) a bearer token issued in the future. SmallRye JWT bounds a token's lifetime
 * ({@code smallrye.jwt.time-to-live}) and age ({@code mp.jwt.verify.token.age}) from its "iat", so a
 * token claiming to be issued later than it was would live longer than both allow; beyond the clock
 * skew SmallRye also allows (60 s), it is refused here.
 */
@ApplicationScoped
public class TokenIssueTime implements SecurityIdentityAugmentor {

    static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
    private static final Logger LOG = Logger.getLogger(TokenIssueTime.class);

    @Override
    public int priority() {
        return 100; // before the roles are added to
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.getPrincipal() instanceof JsonWebToken token && token.getIssuedAtTime() > 0) {
            Instant issued = Instant.ofEpochSecond(token.getIssuedAtTime());
            if (issued.isAfter(Instant.now().plus(CLOCK_SKEW))) {
                LOG.infof("A bearer token issued in the future (%s) is refused", issued);
                return Uni.createFrom().failure(new AuthenticationFailedException("The token's issue time (iat) is in the future"));
            }
        }
        return Uni.createFrom().item(identity);
    }
}
