package io.lungflow.platform.security;

import io.lungflow.platform.problem.Problem;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.TreeSet;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** 401 and 403 as RFC 9457 problems that say what was missing, never why a credential was wrong in detail. */
public class SecurityProblems {

    @Inject
    SecurityIdentity identity;

    @ServerExceptionMapper
    public Response unauthenticated(UnauthorizedException e, UriInfo uri) {
        return unauthorized(uri, "This needs a bearer token (Authorization: Bearer …) or an API key (" + ApiKeyMechanism.HEADER + ").");
    }

    @ServerExceptionMapper
    public Response failed(AuthenticationFailedException e, UriInfo uri) {
        return unauthorized(uri, "The credentials were not accepted (a token that is expired, not signed by this deployment's key, or of "
                + "another issuer; or an unknown API key).");
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri, Request request) {
        TreeSet<String> roles = new TreeSet<>(identity.getRoles());
        roles.retainAll(Roles.ALL);
        return Response.status(403).type(Problem.MEDIA_TYPE).entity(Problem.of(403, "forbidden", "Forbidden",
                request.getMethod() + " " + uri.getPath() + " is not allowed with the role" + (roles.size() == 1 ? " " : "s ")
                        + (roles.isEmpty() ? "(none)" : String.join(", ", roles)) + "; see the API documentation for the role it needs.")
                .withInstance(uri.getPath())).build();
    }

    private static Response unauthorized(UriInfo uri, String detail) {
        return Response.status(401).header("WWW-Authenticate", "Bearer realm=\"lungflow\"").type(Problem.MEDIA_TYPE)
                .entity(Problem.of(401, "unauthenticated", "Unauthorized", detail).withInstance(uri.getPath())).build();
    }
}
