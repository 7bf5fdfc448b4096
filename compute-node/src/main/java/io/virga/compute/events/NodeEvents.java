package io.virga.compute.events;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.virga.compute.config.ComputeConfig;
import io.virga.compute.host.HostIdentity;
import io.virga.contracts.events.v1.HostReport;
import io.virga.contracts.events.v1.InstancePowerState;
import io.virga.contracts.events.v1.PowerState;
import io.virga.platform.events.CloudEvent;
import io.virga.platform.events.Topics;
import io.virga.platform.kafka.DirectPublisher;
import io.virga.platform.kafka.KafkaClients;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The facts this node tells the cloud: host reports (topic {@code virga.compute.hosts},
 * key host id) and instance power states (topic {@code virga.compute.instances},
 * key instance id), as CloudEvents with source {@code /virga/compute-node/<host id>}.
 * Delivery is retried until Kafka has each event ({@link EventSender}).
 */
@Singleton
public class NodeEvents {
    private final HostIdentity host;
    private final String bootstrap;
    private final String source;
    private final EventSender sender;
    private final AtomicBoolean closed = new AtomicBoolean();

    public NodeEvents(HostIdentity host, @ConfigProperty(name = "virga.kafka.bootstrap-servers") String bootstrap,
                      ComputeConfig config, MeterRegistry registry) {
        this.host = host;
        this.bootstrap = bootstrap;
        this.source = "/virga/compute-node/" + host.hostId();
        this.sender = new EventSender(new DirectPublisher(KafkaClients.producer(bootstrap, "compute-node-" + host.hostId())),
                "virga-events-" + host.hostName(), config.eventQueueCapacity());
        Gauge.builder("virga.compute.events.queued", sender, s -> s.health().queued())
                .description("events waiting for Kafka").register(registry);
        FunctionCounter.builder("virga.compute.events.rejected", sender, EventSender::rejected)
                .description("events refused because the event queue was full").register(registry);
    }

    /** Whether the event queue has room now (actions are refused while it has none). */
    public boolean hasRoom() {
        return sender.hasRoom();
    }

    /**
     * Creates the Virga topics that do not exist yet.
     *
     * @throws IllegalStateException when Kafka cannot be reached within {@code timeout}
     */
    public void ensureTopics(Duration timeout) {
        KafkaClients.ensureTopics(bootstrap, Topics.ALL, timeout);
    }

    /** Queues an {@link InstancePowerState} event; {@code message} says why (FAILED) or is empty. */
    public void powerState(String instanceId, PowerState state, String message) {
        InstancePowerState payload = InstancePowerState.newBuilder()
                .setInstanceId(instanceId)
                .setHostId(host.hostId())
                .setState(state)
                .setMessage(message == null ? "" : message)
                .setObservedAt(Instant.now().toString())
                .build();
        sender.send(Topics.COMPUTE_INSTANCES, CloudEvent.of(source, Topics.TYPE_POWER_STATE, instanceId, payload));
    }

    /** Queues a {@link HostReport} event keyed by the host id. */
    public void hostReport(HostReport report) {
        sender.send(Topics.COMPUTE_HOSTS, CloudEvent.of(source, Topics.TYPE_HOST_REPORT, host.hostId(), report));
    }

    public EventSender.Health health() {
        return sender.health();
    }

    /** Sends what is queued (for at most {@code drain}) and closes the producer. Idempotent. */
    @PreDestroy
    public void close() {
        if (closed.compareAndSet(false, true)) {
            sender.close(Duration.ofSeconds(5));
        }
    }
}
