package io.lungflow.results.api;

import io.lungflow.platform.problem.ProblemException;
import io.lungflow.platform.problem.ProblemMappers;
import io.lungflow.platform.database.DatabaseRetry;
import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Duration;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** An unavailable database is a 503 with Retry-After, not an internal error: the page and clients retry. */
public class DatabaseProblems {

    private final ProblemMappers problems = new ProblemMappers();

    @ServerExceptionMapper
    public Response database(PersistenceException e, UriInfo uri) {
        if (DatabaseRetry.transientFailure(e)) {
            return problems.problem(ProblemException.unavailable("database-unavailable",
                    "The results database is not answering; nothing was lost, try again shortly.", Duration.ofSeconds(5), e), uri);
        }
        return problems.unexpected(e, uri);
    }
}
