package io.virga.gateway.host;

import io.quarkus.runtime.StartupEvent;
import io.virga.contracts.scheduler.v1.Host;
import io.virga.contracts.scheduler.v1.ListHostsRequest;
import io.virga.contracts.scheduler.v1.ListHostsResponse;
import io.virga.gateway.clients.ServiceClients;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Which compute hosts the scheduler reports DOWN (no heartbeat within its host
 * timeout), re-read in the background every {@code virga.gateway.host-liveness-refresh}
 * (5 s) by paging the scheduler's host list. Readers never wait on I/O: they see
 * the last reading. Until the first reading succeeds no host counts as DOWN (the
 * gateway never guesses a host dead); a failed refresh keeps the previous reading.
 *
 * <p>Used to show the instances of a DOWN host with power state {@code UNKNOWN}, and
 * by the create workflow to stop waiting on a host that went DOWN while spawning.
 */
@ApplicationScoped
public class HostLiveness {
    private static final Logger LOG = Logger.getLogger(HostLiveness.class);
    private static final int PAGE = 1000;

    private final ServiceClients clients;
    private final Duration every;
    private final Duration callTimeout;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "host-liveness");
        t.setDaemon(true);
        return t;
    });
    private volatile Set<String> down = Set.of();
    private volatile Instant readAt;

    public HostLiveness(ServiceClients clients,
                        @ConfigProperty(name = "virga.gateway.host-liveness-refresh", defaultValue = "5s") Duration every,
                        @ConfigProperty(name = "virga.gateway.grpc-deadline", defaultValue = "PT10S") Duration callTimeout) {
        this.clients = clients;
        this.every = every;
        this.callTimeout = callTimeout;
    }

    void onStart(@Observes StartupEvent event) {
        timer.scheduleWithFixedDelay(this::refreshQuietly, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }

    /** True when the last reading showed host {@code hostId} DOWN; false for unknown hosts and before any reading. */
    public boolean isDown(String hostId) {
        return hostId != null && down.contains(hostId);
    }

    /** When the last successful reading was taken, or null before the first. */
    public Instant readAt() {
        return readAt;
    }

    /** Reads every host's status from the scheduler now (also called by tests). */
    public void refresh() {
        Set<String> next = new HashSet<>();
        String token = "";
        do {
            ListHostsResponse page = clients.scheduler(callTimeout)
                    .listHosts(ListHostsRequest.newBuilder().setPageSize(PAGE).setPageToken(token).build());
            for (Host h : page.getHostsList()) {
                if ("DOWN".equals(h.getStatus())) {
                    next.add(h.getId());
                }
            }
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        if (!next.equals(down)) {
            LOG.infof("hosts DOWN now: %s", next);
        }
        down = Set.copyOf(next);
        readAt = Instant.now();
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.debugf("host liveness not refreshed: %s", e.getMessage());
        }
    }
}
