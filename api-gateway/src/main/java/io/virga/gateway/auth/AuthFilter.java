package io.virga.gateway.auth;

import io.virga.gateway.error.ApiException;
import io.virga.gateway.error.ProblemMappers;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Authenticates every REST request but {@code /v1/health} from {@code Authorization: Bearer <token>}
 * and stores the {@link Caller} in {@link CallerContext}. No or unknown token: 401 problem.
 * (The OpenAPI document, UI and {@code /q/*} are not JAX-RS resources and never reach this filter.)
 */
public class AuthFilter {
    private final TokenRepository tokens;
    private final CallerContext context;

    public AuthFilter(TokenRepository tokens, CallerContext context) {
        this.tokens = tokens;
        this.context = context;
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Optional<Response> authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (isPublic(path)) {
            return Optional.empty();
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
            return Optional.of(unauthorized("missing bearer token"));
        }
        String secret = header.substring(7).trim();
        if (secret.isEmpty() || secret.length() > 256) {
            return Optional.of(unauthorized("invalid bearer token"));
        }
        Optional<Caller> caller = tokens.authenticate(secret);
        if (caller.isEmpty()) {
            return Optional.of(unauthorized("invalid bearer token"));
        }
        context.set(caller.get());
        return Optional.empty();
    }

    static boolean isPublic(String path) {
        String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        return p.equals("/v1/health") || p.equals("/openapi") || p.startsWith("/docs") || p.startsWith("/q/");
    }

    private static Response unauthorized(String detail) {
        return Response.fromResponse(ProblemMappers.toResponse(ApiException.unauthorized(detail)))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }
}
