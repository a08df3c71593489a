package io.lungflow.ingest.quota;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ResourceInfo;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Applies {@link ClientQuotas} to the endpoints marked {@link UploadQuota}, after authentication
 * and before the body is read. When the request ends, its admission is released and a refusal
 * counted; a refused request whose body was not read to the end has its connection closed after
 * a short linger, so that the rest of an unwanted body is not read.
 */
@Singleton
public class UploadQuotaFilter {

    /** Answers that mean the upload itself was refused: bad, oversized, trickling or unreadable input. */
    private static final Set<Integer> REFUSED = Set.of(400, 408, 409, 411, 413, 415, 422);

    /** After most refusals, what is read and dropped of a body before the connection closes (as servlet containers swallow 2 MB). */
    private static final long LINGER_BYTES = 2L << 20;
    private static final long LINGER_MILLIS = 2_000;
    /** After a 413, up to the upload limit, so that a client that sends its whole body before reading still learns why. */
    private static final long TOO_LARGE_LINGER_MILLIS = 30_000;

    private final CurrentIdentityAssociation identities;
    private final CurrentVertxRequest vertx;
    private final UploadAllowances allowances;

    UploadQuotaFilter(CurrentIdentityAssociation identities, CurrentVertxRequest vertx, UploadAllowances allowances) {
        this.identities = identities;
        this.vertx = vertx;
        this.allowances = allowances;
    }

    @ServerRequestFilter
    public Uni<Void> admit(ResourceInfo resource) {
        if (!resource.getResourceMethod().isAnnotationPresent(UploadQuota.class)) {
            return Uni.createFrom().voidItem();
        }
        RoutingContext rc = vertx.getCurrent();
        rc.addEndHandler(ended -> closeIfBodyUnread(rc, allowances.maxUploadSize()));
        return identities.getDeferredIdentity().onItem().transformToUni(identity -> {
            ClientQuotas.Admission admission;
            try {
                admission = identity.isAnonymous() ? null : allowances.admit(identity.getPrincipal().getName());
            } catch (ClientQuotas.TurnedAway e) {
                // Held back without holding a thread: a sender looping on refusals then costs a few answers a second, not hundreds.
                return Uni.createFrom().voidItem().onItem().delayIt().by(allowances.turnedAwayDelay()).onItem().failWith(() -> e);
            }
            if (admission != null) {
                rc.addEndHandler(ended -> {
                    admission.release();
                    if (ended.succeeded() && REFUSED.contains(rc.response().getStatusCode())) {
                        admission.refused();
                    }
                });
            }
            return Uni.createFrom().voidItem();
        });
    }

    /**
     * Closes the connection of a request refused before its body was read to the end. The close
     * lingers (RFC 9112, 9.6): what the client still sends is read and dropped for a while, so
     * that a client that writes its whole body before reading the answer still sees the answer
     * instead of a broken pipe; after a 413, up to the upload limit (the refusal allowance bounds
     * how often that is paid), after any other refusal only {@link #LINGER_BYTES}. Clients that
     * send {@code Expect: 100-continue} get the answer without sending the body at all.
     */
    private static void closeIfBodyUnread(RoutingContext rc, long maxUploadSize) {
        HttpServerRequest request = rc.request();
        // An accepted upload has read its body to the end, even where the request's end event is still on its way.
        if (rc.response().getStatusCode() < 400 || request.isEnded() || request.version() == HttpVersion.HTTP_2) {
            return;
        }
        boolean tooLarge = rc.response().getStatusCode() == 413;
        long maxBytes = tooLarge ? maxUploadSize : LINGER_BYTES;
        long[] dropped = {0};
        long timer = rc.vertx().setTimer(tooLarge ? TOO_LARGE_LINGER_MILLIS : LINGER_MILLIS, t -> request.connection().close());
        request.handler(chunk -> {
            dropped[0] += chunk.length();
            if (dropped[0] > maxBytes) {
                rc.vertx().cancelTimer(timer);
                request.connection().close();
            }
        });
        request.endHandler(end -> {
            rc.vertx().cancelTimer(timer);
            request.connection().close();
        });
        request.exceptionHandler(e -> rc.vertx().cancelTimer(timer));
        request.resume();
    }
}
