package io.virga.gateway.health;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import jakarta.annotation.PreDestroy;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /v1/health} (no token): the gateway is alive and which dependencies it can reach.
 * status is {@code ok} when everything is up, {@code degraded} otherwise; probes run in parallel,
 * each within a 2 s deadline.
 */
@Path("/v1/health")
@Tag(name = "health", description = "Liveness of the gateway and what it can reach")
@Produces(MediaType.APPLICATION_JSON)
public class HealthResource {
    private final DependencyProbe probe;
    private final ExecutorService pool = Executors.newFixedThreadPool(5, r -> {
        Thread t = new Thread(r, "health-probe");
        t.setDaemon(true);
        return t;
    });

    public HealthResource(DependencyProbe probe) {
        this.probe = probe;
    }

    public record HealthView(String status, Map<String, String> services) {
    }

    @GET
    @Operation(operationId = "getHealth",
            summary = "Gateway health and reachability of postgres, kafka, network, storage, scheduler")
    public HealthView health() {
        Map<String, CompletableFuture<Boolean>> checks = new LinkedHashMap<>();
        checks.put("postgres", run(probe::postgres));
        checks.put("kafka", run(probe::kafka));
        checks.put("network", run(probe::network));
        checks.put("storage", run(probe::storage));
        checks.put("scheduler", run(probe::scheduler));
        Map<String, String> services = new LinkedHashMap<>();
        boolean all = true;
        for (var e : checks.entrySet()) {
            boolean up = e.getValue().join();
            all &= up;
            services.put(e.getKey(), up ? "up" : "down");
        }
        return new HealthView(all ? "ok" : "degraded", services);
    }

    private CompletableFuture<Boolean> run(BooleanSupplier check) {
        return CompletableFuture.supplyAsync(check::getAsBoolean, pool).exceptionally(t -> false);
    }

    @PreDestroy
    void close() {
        pool.shutdownNow();
    }
}
