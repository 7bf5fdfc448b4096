package io.virga.compute.host;

import io.virga.compute.config.ComputeConfig;
import io.virga.compute.events.NodeEvents;
import io.virga.compute.guest.GuestManager;
import io.virga.contracts.events.v1.HostReport;
import io.virga.hypervisor.HostCapacity;
import io.virga.hypervisor.Hypervisor;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import io.quarkus.runtime.LaunchMode;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Sends this host's {@link HostReport} (capacity, traits, endpoint, running guests)
 * at start and then every {@code virga.compute.heartbeat-interval}; the scheduler
 * takes it as inventory and heartbeat.
 */
@Singleton
public class HostReporter {
    private static final Logger LOG = Logger.getLogger(HostReporter.class);

    private final Hypervisor hypervisor;
    private final HostIdentity host;
    private final ComputeConfig config;
    private final NodeEvents events;
    private final GuestManager guests;
    private final String advertiseAddress;
    private ScheduledExecutorService timer;

    public HostReporter(Hypervisor hypervisor, HostIdentity host, ComputeConfig config, NodeEvents events,
                        GuestManager guests) {
        this.hypervisor = hypervisor;
        this.host = host;
        this.config = config;
        this.events = events;
        this.guests = guests;
        this.advertiseAddress = config.advertiseAddress();
    }

    /**
     * {@code <advertise-address>:<port the gRPC server bound>}. Read when needed, not at
     * construction: with port 0 (tests) the actual port is known only once the server
     * runs; Quarkus then answers the port key with it.
     */
    String endpoint() {
        String key = LaunchMode.current() == LaunchMode.TEST ? "quarkus.grpc.server.test-port" : "quarkus.grpc.server.port";
        return advertiseAddress + ":" + ConfigProvider.getConfig().getValue(key, Integer.class);
    }

    /** The report as of now. */
    public HostReport report() {
        HostCapacity cap = hypervisor.capacity();
        return HostReport.newBuilder()
                .setHostId(host.hostId())
                .setHostName(host.hostName())
                .setHypervisorType(hypervisor.type())
                .setComputeEndpoint(endpoint())
                .setVcpus(cap.vcpus())
                .setRamMb(cap.ramMb())
                .setDiskGb(cap.diskGb())
                .addAllTraits(hypervisor.traits())
                .setRunningGuests(guests.runningCount())
                .setReportedAt(Instant.now().toString())
                .build();
    }

    /** Sends a report now and then every heartbeat interval. */
    public synchronized void start() {
        if (timer != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "virga-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long every = config.heartbeatInterval().toMillis();
        timer.scheduleAtFixedRate(this::beat, 0, every, TimeUnit.MILLISECONDS);
        LOG.infof("host %s (%s) reports every %d ms as %s", host.hostName(), host.hostId(), every, endpoint());
    }

    private void beat() {
        // an exception would cancel the schedule: report it and keep beating
        try {
            events.hostReport(report());
        } catch (RuntimeException e) {
            LOG.errorf(e, "cannot make the host report; trying again in %s", config.heartbeatInterval());
        }
    }

    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }
}
