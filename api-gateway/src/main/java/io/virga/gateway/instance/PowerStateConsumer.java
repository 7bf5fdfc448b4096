package io.virga.gateway.instance;

import io.quarkus.runtime.StartupEvent;
import io.virga.contracts.events.v1.InstancePowerState;
import io.virga.contracts.events.v1.PowerState;
import io.virga.gateway.events.GatewayEventing;
import io.virga.gateway.instance.flow.CreateFlow;
import io.virga.gateway.instance.flow.InstanceFlow;
import io.virga.gateway.instance.flow.OrphanGuests;
import io.virga.gateway.instance.flow.PowerReports;
import io.virga.gateway.workflow.FlowData;
import io.virga.gateway.workflow.Mailbox;
import io.virga.gateway.workflow.Workflow;
import io.virga.gateway.workflow.WorkflowConfig;
import io.virga.gateway.workflow.WorkflowRepository;
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
 *   <li>instance DELETING / DELETED: ignored (the delete workflow owns it);</li>
 *   <li>instance with an active workflow (a create, an action): the report is
 *       posted to that workflow's mailbox ({@link Mailbox}), which wakes it at
 *       once; the workflow decides what it means (a spawn's verdict, a stop
 *       that completed, a report from a host it does not care about);</li>
 *   <li>VERIFY_RESIZE without a workflow: ignored (the guest runs on the
 *       destination and a copy waits on the source until a confirm or a revert);</li>
 *   <li>otherwise (at rest), from the instance's own host only: mapped by
 *       {@link PowerStateMapping} and applied if {@link InstanceTransitions}
 *       allows it (e.g. SHUTDOWN → STOPPED, CRASHED → ERROR); impossible
 *       transitions and stale hosts are ignored.</li>
 * </ul>
 * A host reporting a guest it should not have (the instance is deleted, lives
 * elsewhere, or that host already failed its build) gets the guest recorded as
 * an orphan, which the reaper destroys; a DELETED report clears such a record.
 */
@ApplicationScoped
public class PowerStateConsumer {
    public static final String CONSUMER = "gateway-power-state";
    /** Power states that say a guest exists on the reporting host. */
    private static final java.util.Set<PowerState> GUEST_EXISTS = java.util.EnumSet.of(PowerState.BUILDING,
            PowerState.RUNNING, PowerState.PAUSED, PowerState.SUSPENDED, PowerState.SHUTDOWN, PowerState.CRASHED);
    private static final Logger LOG = Logger.getLogger(PowerStateConsumer.class);

    private final GatewayEventing eventing;
    private final InstanceRepository instances;
    private final InstanceStateWriter writer;
    private final WorkflowRepository workflows;
    private final Mailbox mailbox;
    private final CreateFlow createFlow;
    private final OrphanGuests orphans;
    private final WorkflowConfig config;

    public PowerStateConsumer(GatewayEventing eventing, InstanceRepository instances, InstanceStateWriter writer,
                              WorkflowRepository workflows, Mailbox mailbox, CreateFlow createFlow,
                              OrphanGuests orphans, WorkflowConfig config) {
        this.eventing = eventing;
        this.instances = instances;
        this.writer = writer;
        this.workflows = workflows;
        this.mailbox = mailbox;
        this.createFlow = createFlow;
        this.orphans = orphans;
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
        if (instance == null || ps.getHostId().isBlank() || ps.getState() == PowerState.POWER_STATE_UNSPECIFIED
                || ps.getState() == PowerState.UNRECOGNIZED) {
            return;
        }
        if (ps.getState() == PowerState.DELETED) {
            orphans.forget(tx, instance.id(), ps.getHostId());
        }
        if (GUEST_EXISTS.contains(ps.getState()) && misplaced(tx, instance, ps.getHostId())) {
            orphans.record(tx, instance.id(), ps.getHostId(), null, "host reports the guest " + ps.getState()
                    + " but the instance is " + instance.status() + (instance.hostId() == null ? ""
                    : " on " + instance.hostId()));
            return;
        }
        if (instance.status() == InstanceStatus.DELETING || instance.status() == InstanceStatus.DELETED) {
            return; // the delete workflow destroys the guest; its DELETED report changes nothing
        }
        if (ps.getState() == PowerState.BUILDING && instance.status() == InstanceStatus.BUILDING) {
            return; // not a verdict yet
        }
        boolean delivered = mailbox.post(tx, InstanceFlow.RESOURCE_TYPE, instance.id(), PowerReports.KIND,
                ps.getHostId(), java.util.Map.of("state", ps.getState().name(), "message", ps.getMessage()))
                .isPresent();
        if (!delivered && instance.status() != InstanceStatus.BUILDING
                && instance.status() != InstanceStatus.VERIFY_RESIZE) { // a confirm or a revert decides
            applyAtRest(tx, instance, ps);
        }
    }

    /**
     * True when no guest of {@code instance} should exist on {@code hostId}: the
     * instance is deleted, placed on another host, or building and that host
     * already failed it. (During a migration or resize two hosts are legitimate.)
     */
    private boolean misplaced(Connection tx, Instance instance, String hostId) throws Exception {
        return switch (instance.status()) {
            case DELETED -> true;
            case MIGRATING, RESIZING, VERIFY_RESIZE, REBUILDING -> false;
            case BUILDING -> workflows.latest(tx, InstanceFlow.RESOURCE_TYPE, instance.id(), CreateFlow.NAME)
                    .map(w -> excluded(w, hostId)).orElse(false);
            default -> !hostId.equals(instance.hostId());
        };
    }

    /** True when the create workflow {@code w} already gave up on {@code hostId}. */
    private boolean excluded(Workflow w, String hostId) {
        var hosts = FlowData.upgraded(createFlow, w.data()).path("excludedHosts");
        for (var h : hosts) {
            if (h.asText().equals(hostId)) {
                return true;
            }
        }
        return false;
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
