package io.virga.compute;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.virga.compute.config.ComputeConfig;
import io.virga.compute.config.NodeSettings;
import io.virga.compute.events.NodeEvents;
import io.virga.compute.guest.GuestManager;
import io.virga.compute.guest.PowerSync;
import io.virga.compute.host.HostIdentity;
import io.virga.compute.host.HostReporter;
import io.virga.hypervisor.Hypervisor;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Start: check the settings, make the driver (re-adopting its guests), make sure the
 * topics exist, re-report every guest's power state (seeding what the node last reported),
 * start the host reports and the periodic power sync.
 * A failure at any step stops the node with its message.
 * Stop: sync and reports off, builds interrupted (they end FAILED), queued events drained.
 */
@Singleton
public class NodeLifecycle {
    private static final Logger LOG = Logger.getLogger(NodeLifecycle.class);
    private static final Duration TOPICS_TIMEOUT = Duration.ofSeconds(30);

    private final ComputeConfig config;
    private final Hypervisor hypervisor;
    private final HostIdentity host;
    private final NodeEvents events;
    private final GuestManager guests;
    private final HostReporter reporter;
    private final PowerSync powerSync;

    public NodeLifecycle(ComputeConfig config, Hypervisor hypervisor, HostIdentity host, NodeEvents events,
                         GuestManager guests, HostReporter reporter, PowerSync powerSync) {
        this.config = config;
        this.hypervisor = hypervisor;
        this.host = host;
        this.events = events;
        this.guests = guests;
        this.reporter = reporter;
        this.powerSync = powerSync;
    }

    void onStart(@Observes StartupEvent event) {
        NodeSettings.validate(config);
        events.ensureTopics(TOPICS_TIMEOUT);
        int known = guests.reportAll();
        LOG.infof("compute node %s (%s) up: driver %s, capacity %s, %d guests re-adopted, state in %s",
                host.hostName(), host.hostId(), hypervisor.type(), hypervisor.capacity(), known,
                NodeSettings.stateDir(config).toAbsolutePath());
        reporter.start();
        powerSync.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        powerSync.stop();
        reporter.stop();
        guests.shutdown(Duration.ofSeconds(5));
        events.close();
    }
}
