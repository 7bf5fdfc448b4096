package io.virga.gateway.api;

import io.virga.gateway.error.ApiException;
import io.virga.gateway.error.ProblemMappers;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * {@code OPTIONS <path>}: 204 with {@code Allow} listing the methods the path really takes
 * ({@link RouteTable}), or a 404 problem for a path no route serves. Needs no token: it tells no more than
 * the public OpenAPI document.
 */
public class OptionsFilter {
    @ServerRequestFilter(preMatching = true)
    public Optional<Response> options(ContainerRequestContext request) {
        if (!HttpMethod.OPTIONS.equals(request.getMethod())) {
            return Optional.empty();
        }
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/v1")) {
            return Optional.empty();
        }
        Set<String> allowed = RouteTable.allowed(path);
        if (allowed.isEmpty()) {
            return Optional.of(ProblemMappers.toResponse(ApiException.notFound("no such resource")));
        }
        return Optional.of(Response.noContent().header("Allow", String.join(", ", allowed)).build());
    }
}
