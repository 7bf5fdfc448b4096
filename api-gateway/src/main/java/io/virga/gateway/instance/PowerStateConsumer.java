package io.virga.gateway.instance;

import io.quarkus.runtime.StartupEvent;
import io.virga.contracts.events.v1.InstancePowerState;
import io.virga.contracts.events.v1.PowerState;
import io.virga.gateway.events.GatewayEventing;
import io.virga.gateway.saga.SagaConfig;
import io.virga.gateway.saga.SagaRepository;
import io.virga.platform.events.CloudEvent;
import io.virga.platform.events.ProtoJson;
import io.virga.platform.events.Topics;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.sql.Connection;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Consumes compute nodes' power-state events (topic
 * {@value Topics#COMPUTE_INSTANCES}, consumer {@value #CONSUMER}), once per
 * event thanks to the inbox:
 * <ul>
 *   <li>instance BUILDING: the event is the spawning host's verdict; it is
 *       recorded on the create saga (which acts on it) if it comes from the
 *       host the saga is spawning on, else ignored;</li>
 *   <li>instance DELETING / DELETED: ignored (the delete saga owns it);</li>
 *   <li>otherwise, from the instance's own host only: mapped by
 *       {@link PowerStateMapping} and applied if {@link InstanceTransitions}
 *       allows it (e.g. SHUTDOWN → STOPPED, CRASHED → ERROR); impossible
 *       transitions and stale hosts are ignored.</li>
 * </ul>
 */
@ApplicationScoped
public class PowerStateConsumer {
    public static final String CONSUMER = "gateway-power-state";
    private static final Logger LOG = Logger.getLogger(PowerStateConsumer.class);

    private final GatewayEventing eventing;
    private final InstanceRepository instances;
    private final InstanceStateWriter writer;
    private final SagaRepository sagas;
    private final SagaConfig config;

    public PowerStateConsumer(GatewayEventing eventing, InstanceRepository instances, InstanceStateWriter writer,
                              SagaRepository sagas, SagaConfig config) {
        this.eventing = eventing;
        this.instances = instances;
        this.writer = writer;
        this.sagas = sagas;
        this.config = config;
    }

    void onStart(@Observes @Priority(Interceptor.Priority.LIBRARY_AFTER + 100) StartupEvent event) {
        if (config.enabled()) {
            eventing.eventing().subscribe(CONSUMER, List.of(Topics.COMPUTE_INSTANCES), this::handle);
        }
    }

    /** Applies one event in the consumer's transaction. */
    public void handle(CloudEvent event, Connection tx) throws Exception {
        if (!Topics.TYPE_POWER_STATE.equals(event.type())) {
            return;
        }
        InstancePowerState ps = ProtoJson.parse(event.data(), InstancePowerState.newBuilder());
        Instance instance = instances.find(tx, ps.getInstanceId()).orElse(null);
        if (instance == null || ps.getState() == PowerState.POWER_STATE_UNSPECIFIED
                || ps.getState() == PowerState.UNRECOGNIZED) {
            return;
        }
        switch (instance.status()) {
            case BUILDING -> {
                if (ps.getState() != PowerState.BUILDING) {
                    sagas.observeSpawn(tx, instance.id(), ps.getHostId(), ps.getState().name(), ps.getMessage());
                }
            }
            case DELETING, DELETED -> {
                // the delete saga destroys the guest; its DELETED report changes nothing
            }
            default -> applyAtRest(tx, instance, ps);
        }
    }

    private void applyAtRest(Connection tx, Instance instance, InstancePowerState ps) throws Exception {
        if (instance.hostId() == null || !instance.hostId().equals(ps.getHostId())) {
            LOG.debugf("ignoring %s of %s from %s: the instance is on %s", ps.getState(), instance.id(),
                    ps.getHostId(), instance.hostId());
            return;
        }
        InstanceStatus to = PowerStateMapping.statusOf(ps.getState()).orElse(null);
        if (to == null || to == instance.status() || !InstanceTransitions.allowed(instance.status(), to)) {
            return;
        }
        Fault fault = PowerStateMapping.faultOf(ps.getState(), instance.hostName(), ps.getMessage());
        writer.apply(tx, instance, InstanceChange.of(instance).status(to).task(null).fault(fault));
    }
}
