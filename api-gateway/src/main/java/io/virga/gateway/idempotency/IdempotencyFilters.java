package io.virga.gateway.idempotency;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.virga.gateway.auth.CallerContext;
import io.virga.gateway.error.ApiException;
import io.virga.gateway.error.ProblemMappers;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * {@code Idempotency-Key} on every POST: the first answer (status, Location, body) of a
 * (project, key) is stored and replayed for a retry with the same method, path and body,
 * without running the request again; the same key with a different request gets 422, and
 * while the first request still runs, 409. Answers of 5xx are not stored (a retry runs again).
 * POST bodies are limited to {@link #MAX_BODY} bytes (413).
 *
 * <p>Methods marked {@link KeyedInTransaction} record their answer in the transaction of their
 * work (through {@link IdempotencyScope}); this filter then only replays stored answers and stores
 * answers of requests that did no work (4xx).
 */
public class IdempotencyFilters {
    public static final String HEADER = "Idempotency-Key";
    public static final int MAX_BODY = 1024 * 1024;
    private static final String CLAIM = IdempotencyFilters.class.getName() + ".claim";

    private final IdempotencyStore store;
    private final IdempotencyScope scope;
    private final CallerContext callers;
    private final ObjectMapper json;

    private final Counter replays;

    public IdempotencyFilters(IdempotencyStore store, IdempotencyScope scope, CallerContext callers,
            ObjectMapper json, MeterRegistry meters) {
        this.store = store;
        this.scope = scope;
        this.callers = callers;
        this.json = json;
        this.replays = meters.counter("virga.gateway.idempotency.replays");
    }

    private record Claim(String projectId, String key, String method, String path, byte[] sha, boolean inTx) {
    }

    @ServerRequestFilter(priority = Priorities.USER)
    public Optional<Response> before(ContainerRequestContext request, ResourceInfo resource) throws IOException {
        if (!HttpMethod.POST.equals(request.getMethod())) {
            return Optional.empty();
        }
        byte[] body = request.hasEntity() ? request.getEntityStream().readNBytes(MAX_BODY + 1) : new byte[0];
        if (body.length > MAX_BODY) {
            return Optional.of(ProblemMappers.toResponse(new ApiException(413, ApiException.TYPE_BASE
                    + "payload-too-large", "Payload too large", "request bodies are limited to " + MAX_BODY
                    + " bytes", List.of())));
        }
        request.setEntityStream(new ByteArrayInputStream(body));
        String key = request.getHeaderString(HEADER);
        if (key == null || !callers.isAuthenticated()) {
            return Optional.empty();
        }
        if (key.isEmpty() || key.length() > 255 || !key.chars().allMatch(ch -> ch >= 0x21 && ch <= 0x7e)) {
            return Optional.of(ProblemMappers.toResponse(ApiException.badRequest(HEADER,
                    "must be 1-255 visible ASCII characters")));
        }
        String projectId = callers.current().projectId();
        String path = request.getUriInfo().getPath();
        byte[] sha = sha256(request.getMethod(), path, body);
        boolean inTx = resource != null && resource.getResourceMethod() != null
                && resource.getResourceMethod().isAnnotationPresent(KeyedInTransaction.class);
        IdempotencyStore.Decision d = inTx ? store.peek(projectId, key, request.getMethod(), path, sha)
                : store.begin(projectId, key, request.getMethod(), path, sha);
        if (d instanceof IdempotencyStore.Proceed) {
            request.setProperty(CLAIM, new Claim(projectId, key, request.getMethod(), path, sha, inTx));
            if (inTx) {
                scope.set(store.guard(projectId, key, request.getMethod(), path, sha));
            }
            return Optional.empty();
        }
        if (d instanceof IdempotencyStore.Replay) {
            replays.increment();
        }
        return Optional.of(respond(d, key));
    }

    /** The answer for a key that is not ours to run: the stored answer, 422 (other request) or 409 (running). */
    static Response respond(IdempotencyStore.Decision d, String key) {
        if (d instanceof IdempotencyStore.Replay r) {
            Response.ResponseBuilder b = Response.status(r.status()).header("Idempotent-Replayed", "true");
            if (r.location() != null) {
                b.header(HttpHeaders.LOCATION, r.location());
            }
            if (r.body() != null) {
                b.entity(r.body()).type(r.contentType() == null ? MediaType.APPLICATION_JSON : r.contentType());
            }
            return b.build();
        }
        if (d instanceof IdempotencyStore.Mismatch) {
            return ProblemMappers.toResponse(ApiException.idempotencyMismatch(
                    "Idempotency-Key " + key + " was already used with a different request"));
        }
        return ProblemMappers.toResponse(ApiException.conflict(
                "a request with Idempotency-Key " + key + " is still in progress; retry later"));
    }

    /** A keyed-in-transaction request lost the race for its key: its work rolled back; send the winner's answer. */
    @ServerExceptionMapper
    public Response map(IdempotentAnswerException e) {
        return e.response();
    }

    @ServerResponseFilter
    public void after(ContainerRequestContext request, ContainerResponseContext response)
            throws JsonProcessingException {
        if (!(request.getProperty(CLAIM) instanceof Claim claim)) {
            return;
        }
        request.removeProperty(CLAIM);
        int status = response.getStatus();
        if (claim.inTx()) {
            if (status < 500 && !scope.guard().recorded() && !"true".equals(
                    response.getHeaderString("Idempotent-Replayed"))) {
                Object e = response.getEntity();
                byte[] b = e == null ? null : e instanceof byte[] x ? x
                        : e instanceof String x ? x.getBytes(StandardCharsets.UTF_8) : json.writeValueAsBytes(e);
                MediaType t = response.getMediaType();
                store.completeUnclaimed(claim.projectId(), claim.key(), claim.method(), claim.path(), claim.sha(),
                        status, response.getHeaderString(HttpHeaders.LOCATION), t == null ? null : t.toString(), b);
            }
            return;
        }
        if (status >= 500) {
            store.abandon(claim.projectId(), claim.key());
            return;
        }
        Object entity = response.getEntity();
        byte[] body = entity == null ? null
                : entity instanceof byte[] b ? b
                : entity instanceof String s ? s.getBytes(StandardCharsets.UTF_8)
                : json.writeValueAsBytes(entity);
        MediaType type = response.getMediaType();
        String location = response.getHeaderString(HttpHeaders.LOCATION);
        store.complete(claim.projectId(), claim.key(), status, location, type == null ? null : type.toString(),
                body);
    }

    static byte[] sha256(String method, String path, byte[] body) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((method + "\n" + path + "\n").getBytes(StandardCharsets.UTF_8));
            md.update(body);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
