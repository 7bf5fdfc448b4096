package io.virga.gateway.instance.migration;

import io.virga.contracts.scheduler.v1.ReleaseRequest;
import io.virga.gateway.instance.Instance;
import io.virga.gateway.instance.flow.GuestDestroyer;
import io.virga.gateway.workflow.Step;
import io.virga.gateway.workflow.StepContext;
import io.virga.gateway.workflow.StepResult;
import io.virga.platform.db.Tx;
import java.util.Optional;

/**
 * A delete's step for an instance deleted while it was being moved (its
 * move was cancelled, or it waited in VERIFY_RESIZE): the guest on the other
 * host of the move (the one that is not the instance's host, which the
 * delete's destroy_guest handles) is destroyed, the destination claim (held by
 * the migration) released, the resize's quota growth given back, and the
 * migration ends {@code error}. Without an open migration it does nothing.
 * Cleanup; idempotent (destroy and release are; the migration is read again).
 */
public final class AbandonMoveStep<D> implements Step<Instance, D> {
    public static final String NAME = "abandon_move";

    private final MoveParts p;
    private final Tx tx;
    private final String next;

    public AbandonMoveStep(MoveParts p, Tx tx, String next) {
        this.p = p;
        this.tx = tx;
        this.next = next;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String what() {
        return "abandoning the instance's move (compute-node, scheduler-svc)";
    }

    @Override
    public boolean cleanup() {
        return true;
    }

    @Override
    public StepResult run(StepContext<Instance, D> ctx) {
        Instance i = ctx.resource();
        Optional<Migration> open = tx.run(c -> p.migrations.open(c, i.id()));
        if (open.isEmpty()) {
            return StepResult.next(next, "no move under way");
        }
        Migration m = open.get();
        String detail = "";
        java.util.List<io.virga.gateway.workflow.TxWork> orphans = new java.util.ArrayList<>();
        for (Migration.HostRef h : new Migration.HostRef[] {m.source(), m.dest()}) {
            if (h != null && !h.id().equals(i.hostId())) {
                GuestDestroyer.Outcome o = p.destroyer.destroy(ctx, h.id(), h.name(), h.endpoint());
                detail = o.detail() + "; ";
                orphans.add(o.work()); // an unreachable host: the guest is recorded for the reaper
            }
        }
        p.clients.scheduler(p.config.callTimeout()).releaseClaim(ReleaseRequest.newBuilder()
                .setConsumerId(m.id()).build());
        return StepResult.next(next, detail + "released the claim of " + m.id(), c -> {
            for (io.virga.gateway.workflow.TxWork w : orphans) {
                w.apply(c);
            }
            Instance now = p.instances.find(c, i.id()).orElseThrow();
            MoveQuota.settle(p.quota, c, now.projectId(), m.oldFlavor(), m.newFlavor(), now.flavor());
            p.migrations.move(c, m.id(), MigrationStatus.ERROR, "the instance was deleted during the "
                    + m.kind().value());
        });
    }
}
