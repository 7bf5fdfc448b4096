package io.virga.gateway.auditlog;

import io.virga.gateway.auth.Caller;
import io.virga.gateway.auth.CallerContext;
import io.virga.platform.ids.Ids;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import java.lang.reflect.Method;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Audits every mutating call under {@code /v1} (POST, PUT, PATCH, DELETE), whatever it answered (2xx, 4xx
 * including 401/403 from the auth filter, 5xx), and gives every {@code /v1} response an {@code X-Request-Id}.
 *
 * <p>Durability: the row (and its outbox record for Kafka) is written in its own short transaction before
 * the response leaves, so a client that got an answer can find its entry. The audited change itself was
 * committed by the resource before this filter ran: a crash between the two commits loses that entry (the
 * window is one INSERT). A failed audit write is logged and counted ({@link #failures()}); it does not turn
 * an already-committed change into an error answer.
 *
 * <p>Secrets never enter an entry: no bodies (so no {@code user_data}, passwords or new token values), no
 * query strings, no headers but the request id; the created id is read only from an {@code id} component.
 */
public class AuditLogFilter {
    static final String REQUEST_ID = "X-Request-Id";
    private static final Logger LOG = Logger.getLogger(AuditLogFilter.class);
    private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final Pattern SANE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern PARAM_REGEX = Pattern.compile("\\{\\s*(\\w+)\\s*:[^}]*}");
    private static final Map<Method, String> ROUTES = new ConcurrentHashMap<>();
    private static final AtomicLong FAILURES = new AtomicLong();

    private final AuditLogStore store;
    private final CallerContext callers;

    public AuditLogFilter(AuditLogStore store, CallerContext callers) {
        this.store = store;
        this.callers = callers;
    }

    /** Audit writes that failed since start. */
    public static long failures() {
        return FAILURES.get();
    }

    @ServerResponseFilter
    public void audit(ContainerRequestContext request, ContainerResponseContext response, ResourceInfo resource) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/v1/") && !path.equals("/v1")) {
            return;
        }
        String requestId = requestId(request.getHeaderString(REQUEST_ID));
        response.getHeaders().putSingle(REQUEST_ID, requestId);
        String method = request.getMethod();
        if (!MUTATING.contains(method)) {
            return;
        }
        Caller caller = callers.isAuthenticated() ? callers.current() : null;
        AuditEntry entry = new AuditEntry(Ids.newId("aud"), Instant.now().truncatedTo(ChronoUnit.MICROS),
                caller == null ? null : caller.tokenId(), caller == null ? null : caller.projectId(),
                caller == null ? null : caller.role().wireName(), caller != null && caller.cloudAdmin(), method,
                route(resource), truncate(path, 512), truncate(pathId(request), 256),
                response.getStatus() / 100 == 2 ? truncate(CreatedId.of(response.getEntity()), 256) : null,
                response.getStatus(), requestId);
        try {
            store.write(entry);
        } catch (RuntimeException e) {
            FAILURES.incrementAndGet();
            LOG.errorf(e, "audit entry %s not written: %s %s -> %d (request %s)", entry.id(), method,
                    entry.route(), entry.status(), requestId);
        }
    }

    static String requestId(String sent) {
        if (sent != null && SANE_REQUEST_ID.matcher(sent).matches()) {
            return sent;
        }
        return "req-" + UUID.randomUUID();
    }

    /** The route template of the matched resource method, e.g. {@code /v1/instances/{id}}. */
    static String route(ResourceInfo resource) {
        Method m = resource == null ? null : resource.getResourceMethod();
        if (m == null) {
            return "(unmatched)";
        }
        return ROUTES.computeIfAbsent(m, k -> {
            Path type = resource.getResourceClass() == null ? null : resource.getResourceClass().getAnnotation(Path.class);
            Path own = k.getAnnotation(Path.class);
            String joined = "/" + (type == null ? "" : type.value()) + "/" + (own == null ? "" : own.value());
            String clean = joined.replaceAll("/+", "/");
            if (clean.length() > 1 && clean.endsWith("/")) {
                clean = clean.substring(0, clean.length() - 1);
            }
            return PARAM_REGEX.matcher(clean).replaceAll("{$1}");
        });
    }

    /** The {@code id} path parameter, else the last path parameter, else null. */
    static String pathId(ContainerRequestContext request) {
        var params = request.getUriInfo().getPathParameters();
        if (params == null || params.isEmpty()) {
            return null;
        }
        String id = params.getFirst("id");
        if (id != null) {
            return id;
        }
        String last = null;
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            if (!e.getValue().isEmpty()) {
                last = e.getValue().get(e.getValue().size() - 1);
            }
        }
        return last;
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
