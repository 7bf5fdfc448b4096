package io.virga.gateway.instance.migration;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.virga.gateway.instance.Fault;
import io.virga.gateway.instance.FlavorSnapshot;
import io.virga.gateway.instance.InstanceStatus;
import io.virga.gateway.workflow.CompensationAware;
import java.util.HashMap;
import java.util.Map;

/**
 * The data of every move flow (cold migration and resize, live migration,
 * evacuation, confirm, revert): copied from the migration record when the
 * request was accepted, plus what the flow learnt (the destination, the
 * incoming URI). The destination claim is held under {@link #migrationId}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class MoveData implements CompensationAware {
    public String migrationId;
    /** {@link MigrationKind#value()}. */
    public String kind;
    /** The instance's status before the move, which a failure, a confirm or a revert returns to. */
    public InstanceStatus previousStatus;
    public Migration.HostRef source;
    /** Null until the destination is claimed. */
    public Migration.HostRef dest;
    public String requestedHost;
    /** The source host's hypervisor type: the destination must run the same driver. */
    public String hypervisorType;
    /** The host trait the destination needs (COMPUTE_MIGRATE, COMPUTE_LIVE_MIGRATE), or null. */
    public String trait;
    public FlavorSnapshot oldFlavor;
    public FlavorSnapshot newFlavor;
    /** VXLAN id per network id, for the guest's interfaces on the destination. */
    public Map<String, Integer> vnis = new HashMap<>();
    /** Prefix length and gateway per port id, for the guest's interfaces (absent in data of older builds: none). */
    public Map<String, io.virga.gateway.instance.action.GuestSpecs.Addressing> addressing = new HashMap<>();
    /** Where the source sends the guest (PrepareIncoming's answer). */
    public String destinationUri;
    /** Evacuation: when the destination must have reported the guest RUNNING (ISO-8601). */
    public String deadline;
    /** Set when compensation starts. */
    public Fault fault;

    @Override
    public void compensating(Fault why) {
        this.fault = why;
    }

    MigrationKind kind() {
        return MigrationKind.parse(kind).orElseThrow(() -> new IllegalStateException("no migration kind " + kind));
    }
}
