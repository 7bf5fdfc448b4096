package io.virga.gateway.instance.migration;

import io.virga.contracts.scheduler.v1.Host;
import io.virga.gateway.auth.Caller;
import io.virga.gateway.error.ApiException;
import io.virga.gateway.flavor.FlavorRepository;
import io.virga.gateway.instance.FlavorSnapshot;
import io.virga.gateway.instance.Instance;
import io.virga.gateway.instance.InstanceChange;
import io.virga.gateway.instance.InstanceStatus;
import io.virga.gateway.instance.InstanceTask;
import io.virga.gateway.instance.action.ActionRequest;
import io.virga.gateway.instance.action.ActionStarter;
import io.virga.gateway.instance.action.GuestSpecs;
import io.virga.gateway.instance.action.HostTraits;
import io.virga.gateway.instance.action.InstanceAction;
import io.virga.gateway.workflow.Workflows;
import io.virga.platform.ids.Ids;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;

/**
 * Starts the moves: resize, migrate, live-migrate, evacuate (a new migration
 * record and its flow) and confirm-resize / revert-resize (the open migration's
 * ending). Checked before anything changes, besides the action table:
 * {@code host} is for cloud admins (403) and must be another host than the
 * instance's (400); evacuate is for cloud admins and only from a host the
 * scheduler reports DOWN (409); a resize's flavor exists (400), differs from
 * the instance's, has its kind and no smaller disk (400), and its growth fits
 * the project's quota (403).
 */
@ApplicationScoped
public class MoveStarter implements ActionStarter {
    private final Workflows workflows;
    private final MoveParts p;
    private final HostTraits hosts;
    private final FlavorRepository flavors;
    private final MoveFlows.ColdMigrate cold;
    private final MoveFlows.LiveMigrate live;
    private final MoveFlows.Evacuate evacuate;
    private final MoveFlows.Confirm confirm;
    private final MoveFlows.Revert revert;

    public MoveStarter(Workflows workflows, MoveParts p, HostTraits hosts, FlavorRepository flavors,
                       MoveFlows.ColdMigrate cold, MoveFlows.LiveMigrate live, MoveFlows.Evacuate evacuate,
                       MoveFlows.Confirm confirm, MoveFlows.Revert revert) {
        this.workflows = workflows;
        this.p = p;
        this.hosts = hosts;
        this.flavors = flavors;
        this.cold = cold;
        this.live = live;
        this.evacuate = evacuate;
        this.confirm = confirm;
        this.revert = revert;
    }

    @Override
    public Set<InstanceAction> actions() {
        return Set.of(InstanceAction.RESIZE, InstanceAction.MIGRATE, InstanceAction.LIVE_MIGRATE,
                InstanceAction.EVACUATE, InstanceAction.CONFIRM_RESIZE, InstanceAction.REVERT_RESIZE);
    }

    @Override
    public Start prepare(Caller caller, Instance i, ActionRequest request) {
        InstanceAction action = request.action();
        if (action == InstanceAction.CONFIRM_RESIZE || action == InstanceAction.REVERT_RESIZE) {
            return (c, current, opId) -> end(c, current, opId, action == InstanceAction.CONFIRM_RESIZE);
        }
        if (request.host() != null && !caller.cloudAdmin()) {
            throw ApiException.forbidden("only cloud administrators may choose the destination host");
        }
        if (action == InstanceAction.EVACUATE && !caller.cloudAdmin()) {
            throw ApiException.forbidden("only cloud administrators may evacuate an instance");
        }
        if (i.hostId() == null) {
            throw ApiException.conflict("instance " + i.id() + " has no host to move from");
        }
        if (i.hostId().equals(request.host())) {
            throw ApiException.badRequest("host", "is the instance's current host " + i.hostId());
        }
        Host source = hosts.host(i.hostId());
        if (action == InstanceAction.EVACUATE && !"DOWN".equals(source.getStatus())) {
            throw ApiException.conflict("host " + source.getName() + " (" + source.getId() + ") is "
                    + source.getStatus() + "; evacuate only moves instances off a host that is DOWN");
        }
        FlavorSnapshot next = action == InstanceAction.RESIZE ? newFlavor(i, request.flavorId()) : i.flavor();
        MoveData d = new MoveData();
        d.migrationId = Ids.newId("mig");
        d.kind = kind(action).value();
        d.source = new Migration.HostRef(i.hostId(), i.hostName(), i.hostEndpoint());
        d.requestedHost = request.host();
        d.hypervisorType = source.getHypervisorType();
        d.trait = action.trait();
        d.oldFlavor = i.flavor();
        d.newFlavor = next;
        var networks = GuestSpecs.networks(p.clients, p.config.validationTimeout(), i);
        d.vnis.putAll(GuestSpecs.vnis(networks));
        d.addressing.putAll(GuestSpecs.addressing(i, networks));
        return (c, current, opId) -> begin(c, current, opId, d);
    }

    private Instance begin(Connection c, Instance current, String opId, MoveData d) throws Exception {
        MigrationKind kind = d.kind();
        d.previousStatus = current.status();
        try {
            p.migrations.insert(c, new Migration(d.migrationId, current.id(), current.projectId(), kind,
                    MigrationStatus.PRE_MIGRATING, current.status(), d.source, null, d.requestedHost, d.oldFlavor,
                    d.newFlavor, opId, null, null, null));
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                throw ApiException.conflict("instance " + current.id() + " is already being moved");
            }
            throw e;
        }
        p.quota.reserve(c, current.projectId(), MoveQuota.growth(d.oldFlavor, d.newFlavor));
        MoveFlow flow = switch (kind) {
            case RESIZE, MIGRATION -> cold;
            case LIVE_MIGRATION -> live;
            case EVACUATION -> evacuate;
        };
        workflows.start(c, opId, flow, current.id(), d);
        InstanceStatus status = switch (kind) {
            case RESIZE, MIGRATION -> InstanceStatus.RESIZING;
            case LIVE_MIGRATION -> InstanceStatus.MIGRATING;
            case EVACUATION -> InstanceStatus.REBUILDING;
        };
        InstanceTask task = kind == MigrationKind.EVACUATION ? InstanceTask.REBUILD_SPAWNING
                : kind == MigrationKind.LIVE_MIGRATION ? InstanceTask.MIGRATING : InstanceTask.RESIZE_MIGRATING;
        return p.writer.apply(c, current, InstanceChange.of(current).status(status).task(task));
    }

    private Instance end(Connection c, Instance current, String opId, boolean confirming) throws Exception {
        Migration m = p.migrations.open(c, current.id()).filter(x -> x.status() == MigrationStatus.FINISHED)
                .orElseThrow(() -> ApiException.conflict("instance " + current.id()
                        + " has no finished resize or migration to " + (confirming ? "confirm" : "revert")));
        MoveData d = new MoveData();
        d.migrationId = m.id();
        d.kind = m.kind().value();
        d.previousStatus = m.previousStatus();
        d.source = m.source();
        d.dest = m.dest();
        d.oldFlavor = m.oldFlavor();
        d.newFlavor = m.newFlavor();
        p.migrations.move(c, m.id(), confirming ? MigrationStatus.CONFIRMING : MigrationStatus.REVERTING, null);
        workflows.start(c, opId, confirming ? confirm : revert, current.id(), d);
        return p.writer.apply(c, current, InstanceChange.of(current).task(confirming
                ? InstanceTask.RESIZE_CONFIRMING : InstanceTask.RESIZE_REVERTING));
    }

    private FlavorSnapshot newFlavor(Instance i, String flavorId) {
        FlavorSnapshot f = flavors.findByIdOrName(flavorId).map(FlavorSnapshot::of)
                .orElseThrow(() -> ApiException.badRequest("flavor_id", "no flavor " + flavorId));
        FlavorSnapshot old = i.flavor();
        if (f.id().equals(old.id())) {
            throw ApiException.badRequest("flavor_id", "the instance already has flavor " + f.name());
        }
        if (!f.kind().equals(old.kind())) {
            throw ApiException.badRequest("flavor_id", "flavor " + f.name() + " is for kind " + f.kind()
                    + "; the instance is a " + old.kind());
        }
        if (f.diskGb() < old.diskGb()) {
            throw ApiException.badRequest("flavor_id", "flavor " + f.name() + " has a smaller disk (" + f.diskGb()
                    + " GB) than the instance's (" + old.diskGb() + " GB); disks do not shrink");
        }
        return f;
    }

    private static MigrationKind kind(InstanceAction action) {
        return Map.of(InstanceAction.RESIZE, MigrationKind.RESIZE, InstanceAction.MIGRATE, MigrationKind.MIGRATION,
                InstanceAction.LIVE_MIGRATE, MigrationKind.LIVE_MIGRATION, InstanceAction.EVACUATE,
                MigrationKind.EVACUATION).get(action);
    }
}
