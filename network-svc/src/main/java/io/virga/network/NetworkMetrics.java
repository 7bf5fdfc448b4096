package io.virga.network;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

/** Counters and timers of network-svc's key operations (exported at /q/metrics). */
@ApplicationScoped
public class NetworkMetrics {
    private final Counter portsAllocated;
    private final Counter portsReleased;
    private final Counter portsReplayed;
    private final Counter addressExhausted;
    private final Counter networksCreated;
    private final Counter subnetsCreated;
    private final Timer createPort;

    public NetworkMetrics(MeterRegistry registry) {
        portsAllocated = Counter.builder("virga.network.ports.allocated")
                .description("Ports created (one MAC and one IP each)").register(registry);
        portsReleased = Counter.builder("virga.network.ports.released")
                .description("Ports deleted (their IP is free again)").register(registry);
        portsReplayed = Counter.builder("virga.network.ports.replayed")
                .description("CreatePort retries answered with the port of the first call").register(registry);
        addressExhausted = Counter.builder("virga.network.ipam.exhausted")
                .description("CreatePort calls refused because no subnet had a free address").register(registry);
        networksCreated = Counter.builder("virga.network.networks.created").register(registry);
        subnetsCreated = Counter.builder("virga.network.subnets.created").register(registry);
        createPort = Timer.builder("virga.network.create.port")
                .description("Time to allocate a port (MAC + IP) and commit it").register(registry);
    }

    public void portAllocated() {
        portsAllocated.increment();
    }

    public void portsReleased(int count) {
        portsReleased.increment(count);
    }

    public void portReplayed() {
        portsReplayed.increment();
    }

    public void addressExhausted() {
        addressExhausted.increment();
    }

    public void networkCreated() {
        networksCreated.increment();
    }

    public void subnetCreated() {
        subnetsCreated.increment();
    }

    public Timer createPortTimer() {
        return createPort;
    }
}
