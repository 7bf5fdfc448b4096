package io.virga.gateway.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns every failure of a request into an {@code application/problem+json} answer. */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    /** How long a client should wait before retrying a 503 (a dependency or the database is away). */
    static final String RETRY_AFTER_SECONDS = "5";

    public static Response toResponse(ApiException e) {
        Response.ResponseBuilder r = Response.status(e.status()).type(Problem.MEDIA_TYPE).entity(Problem.of(e));
        if (e.status() == 503) {
            r.header("Retry-After", RETRY_AFTER_SECONDS);
        }
        return r.build();
    }

    @ServerExceptionMapper(priority = 1)
    public Response api(ApiException e) {
        return toResponse(e);
    }

    @ServerExceptionMapper(priority = 1)
    public Response busy(io.virga.gateway.workflow.BusyResourceException e) {
        return toResponse(ApiException.busy(e.getMessage(), e.runningOperationId()));
    }

    @ServerExceptionMapper(priority = 1)
    public Response unknownField(UnrecognizedPropertyException e) {
        return toResponse(ApiException.badRequest(path(e, e.getPropertyName()), "unknown field"));
    }

    @ServerExceptionMapper(priority = 1)
    public Response badFormat(InvalidFormatException e) {
        return toResponse(ApiException.badRequest(path(e, null), "has the wrong type or format"));
    }

    @ServerExceptionMapper(priority = 1)
    public Response mismatch(MismatchedInputException e) {
        String field = path(e, null);
        if (field.isEmpty()) {
            return toResponse(ApiException.malformed("request body must be a JSON object"));
        }
        return toResponse(ApiException.badRequest(field, "has the wrong type"));
    }

    @ServerExceptionMapper(priority = 1)
    public Response mapping(JsonMappingException e) {
        if (e.getCause() instanceof com.fasterxml.jackson.core.JsonParseException
                || e.getCause() instanceof java.io.CharConversionException) {
            return toResponse(JsonProblems.of(e.getCause())); // broken bytes inside a field: not the field's fault
        }
        String field = path(e, null);
        if (field.isEmpty()) {
            return toResponse(ApiException.malformed("request body is not valid JSON"));
        }
        return toResponse(ApiException.badRequest(field,
                e.getCause() instanceof com.fasterxml.jackson.core.exc.InputCoercionException ? "is out of range"
                        : "is invalid"));
    }

    @ServerExceptionMapper(priority = 1)
    public Response json(JsonProcessingException e) {
        return toResponse(JsonProblems.of(e));
    }

    private Response mappingOf(JsonMappingException m) {
        if (m instanceof UnrecognizedPropertyException u) {
            return unknownField(u);
        }
        if (m instanceof InvalidFormatException f) {
            return badFormat(f);
        }
        if (m instanceof MismatchedInputException mi) {
            return mismatch(mi);
        }
        return mapping(m);
    }

    @ServerExceptionMapper(priority = 1)
    public Response notFound(NotFoundException e) {
        return toResponse(ApiException.notFound("no such resource"));
    }

    @ServerExceptionMapper(priority = 1)
    public Response notAllowed(NotAllowedException e, jakarta.ws.rs.core.UriInfo uri) {
        ApiException p = new ApiException(405, ApiException.TYPE_BASE + "method-not-allowed", "Method not allowed",
                "method not allowed on this resource", List.of());
        Response.ResponseBuilder b = Response.status(405).type(Problem.MEDIA_TYPE).entity(Problem.of(p));
        java.util.Set<String> routes = io.virga.gateway.api.RouteTable.allowed(uri.getPath());
        String allow = routes.isEmpty() ? e.getResponse().getHeaderString("Allow") : String.join(", ", routes);
        if (allow != null) {
            b.header("Allow", allow);
        }
        return b.build();
    }

    @ServerExceptionMapper(priority = 1)
    public Response unsupported(NotSupportedException e) {
        return toResponse(new ApiException(415, ApiException.TYPE_BASE + "unsupported-media-type",
                "Unsupported media type", "the request body must be application/json (or "
                        + "application/octet-stream for image data)", List.of()));
    }

    @ServerExceptionMapper(priority = 1)
    public Response notAcceptable(NotAcceptableException e) {
        return toResponse(new ApiException(406, ApiException.TYPE_BASE + "not-acceptable", "Not acceptable",
                "this resource answers application/json", List.of()));
    }

    @ServerExceptionMapper(priority = 2)
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        Throwable json = status == 400 ? JsonProblems.jsonCause(e) : null;
        if (json != null) { // the body reader's failure, wrapped by the framework
            return json instanceof JsonMappingException m ? mappingOf(m) : toResponse(JsonProblems.of(json));
        }
        if (status >= 500) {
            LOG.error("request failed", e);
        }
        String title = Response.Status.fromStatusCode(status) == null ? "Error"
                : Response.Status.fromStatusCode(status).getReasonPhrase();
        return toResponse(new ApiException(status, ApiException.TYPE_BASE + "http-" + status, title,
                e.getMessage(), List.of()));
    }

    @ServerExceptionMapper(priority = 10)
    public Response unexpected(Throwable e) {
        if (DatabaseOutage.causes(e)) {
            LOG.warnf("the database cannot be reached: %s", e.toString());
            return toResponse(ApiException.unavailable("the database cannot be reached now; retry later"));
        }
        LOG.error("unexpected failure", e);
        return toResponse(new ApiException(500, ApiException.TYPE_BASE + "internal", "Internal error",
                "an unexpected error occurred", List.of()));
    }

    /** "a.b[2].c" from Jackson's path, with {@code last} appended when the path lacks it. */
    static String path(JsonMappingException e, String last) {
        String p = e.getPath().stream().map(r -> r.getFieldName() != null ? "." + r.getFieldName()
                : "[" + r.getIndex() + "]").collect(Collectors.joining());
        if (p.startsWith(".")) {
            p = p.substring(1);
        }
        if (last != null && !p.endsWith(last)) {
            p = p.isEmpty() ? last : p + "." + last;
        }
        return p;
    }
}
