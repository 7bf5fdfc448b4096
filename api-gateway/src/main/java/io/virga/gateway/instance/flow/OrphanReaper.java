package io.virga.gateway.instance.flow;

import io.virga.gateway.workflow.Failures;
import io.virga.gateway.clients.ServiceClients;
import io.virga.gateway.instance.Instance;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.virga.contracts.scheduler.v1.GetHostRequest;
import io.virga.gateway.compute.ComputeClients;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Destroys {@link OrphanGuests} until their hosts confirm: asks the scheduler
 * where the host is now (falling back to the last known endpoint), calls the
 * idempotent Destroy, and forgets the guest once the call succeeds. Failures
 * back off up to five minutes; a host the scheduler no longer knows and that
 * has no known endpoint is given up on (logged), and so is a guest whose host
 * did not answer {@code orphan-max-attempts} destroy attempts: never retried forever.
 */
@ApplicationScoped
public class OrphanReaper {
    private static final Logger LOG = Logger.getLogger(OrphanReaper.class);
    private static final long MAX_BACKOFF_MS = 300_000;

    private final OrphanGuests orphans;
    private final ServiceClients clients;
    private final ComputeClients compute;
    private final InstanceFlowConfig config;
    private final InstanceMetrics metrics;
    private final io.virga.gateway.workflow.WorkflowConfig engine;
    private volatile boolean running;
    private Thread thread;

    public OrphanReaper(OrphanGuests orphans, ServiceClients clients, ComputeClients compute, InstanceFlowConfig config,
                        InstanceMetrics metrics, io.virga.gateway.workflow.WorkflowConfig engine) {
        this.engine = engine;
        this.orphans = orphans;
        this.clients = clients;
        this.compute = compute;
        this.config = config;
        this.metrics = metrics;
    }

    void onStart(@Observes @Priority(Interceptor.Priority.LIBRARY_AFTER + 100) StartupEvent event) {
        if (engine.enabled()) {
            running = true;
            thread = new Thread(this::loop, "orphan-reaper");
            thread.setDaemon(true);
            thread.start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void loop() {
        while (running) {
            try {
                reapDue();
                Thread.sleep(config.orphanInterval().toMillis());
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                LOG.warnf("orphan reaper failed, retrying: %s", e.toString());
                try {
                    Thread.sleep(config.orphanInterval().toMillis());
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** One pass over the due orphans. Visible for tests. */
    public void reapDue() throws Exception {
        for (OrphanGuests.Orphan o : orphans.due(20)) {
            reap(o);
        }
    }

    private void reap(OrphanGuests.Orphan o) throws Exception {
        if (o.attempts() >= config.orphanMaxAttempts()) {
            LOG.warnf("abandoning guest %s on host %s (%s): its host did not answer %d destroy attempts",
                    o.instanceId(), o.hostId(), o.reason(), o.attempts());
            orphans.forget(o.instanceId(), o.hostId());
            return;
        }
        String endpoint = o.endpoint();
        try {
            endpoint = clients.scheduler(config.callTimeout()).getHost(GetHostRequest.newBuilder()
                    .setId(o.hostId()).build()).getComputeEndpoint();
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND && endpoint == null) {
                LOG.warnf("giving up on guest %s: host %s is unknown to the scheduler", o.instanceId(), o.hostId());
                orphans.forget(o.instanceId(), o.hostId());
                return;
            }
        }
        if (endpoint == null || endpoint.isBlank()) {
            orphans.retryLater(o, Instant.now().plusMillis(backoffMs(o.attempts())));
            return;
        }
        try {
            boolean existed = compute.destroy(endpoint, o.instanceId()).getExisted();
            orphans.forget(o.instanceId(), o.hostId());
            metrics.orphanReaped(existed);
            LOG.infof("orphan guest %s on host %s (%s): %s", o.instanceId(), o.hostId(), o.reason(),
                    existed ? "destroyed" : "already gone");
        } catch (StatusRuntimeException e) {
            orphans.retryLater(o, Instant.now().plusMillis(backoffMs(o.attempts())));
        }
    }

    private long backoffMs(int attempts) {
        long base = config.orphanInterval().toMillis() << Math.min(attempts, 16);
        return Math.min(base, MAX_BACKOFF_MS);
    }
}
