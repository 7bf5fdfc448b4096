package io.virga.gateway.limit;

import io.virga.gateway.auth.CallerContext;
import io.virga.gateway.error.ApiException;
import io.virga.gateway.error.ProblemMappers;
import jakarta.inject.Singleton;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Per-token rate limit: after authentication, each API token (not each address: clients behind one address, and
 * the tests on 127.0.0.1, stay independent) may make {@code virga.gateway.rate-limit.burst} requests at once and
 * {@code virga.gateway.rate-limit.per-second} on average; beyond that a 429 problem
 * ({@code https://virga.dev/problems/rate-limited}) with {@code Retry-After} in seconds. Defaults are generous
 * (1000/s, burst 2000) so tests and benchmarks are unaffected; {@code per-second=0} turns the limit off.
 * Requests without a token are answered 401 before this filter.
 */
@Singleton
public class RateLimitFilter {
    private final TokenBuckets buckets;
    private final CallerContext callers;

    public RateLimitFilter(CallerContext callers,
            @ConfigProperty(name = "virga.gateway.rate-limit.per-second", defaultValue = "1000") double perSecond,
            @ConfigProperty(name = "virga.gateway.rate-limit.burst", defaultValue = "2000") double burst) {
        this.callers = callers;
        this.buckets = perSecond <= 0 ? null : new TokenBuckets(perSecond, Math.max(1, burst));
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION + 10)
    public Optional<Response> limit(ContainerRequestContext request) {
        if (buckets == null || !callers.isAuthenticated()) {
            return Optional.empty();
        }
        long wait = buckets.take(callers.current().tokenId(), System.nanoTime());
        if (wait == 0) {
            return Optional.empty();
        }
        ApiException e = new ApiException(429, ApiException.TYPE_BASE + "rate-limited", "Too many requests",
                "this token made too many requests; retry after " + wait + " s", List.of());
        return Optional.of(Response.fromResponse(ProblemMappers.toResponse(e))
                .header("Retry-After", String.valueOf(wait)).build());
    }
}
