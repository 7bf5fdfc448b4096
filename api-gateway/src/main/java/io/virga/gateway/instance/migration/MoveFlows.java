package io.virga.gateway.instance.migration;

import static io.virga.gateway.instance.migration.MoveEndSteps.ABORT;
import static io.virga.gateway.instance.migration.MoveEndSteps.CONFIRMED;
import static io.virga.gateway.instance.migration.MoveEndSteps.DESTROY_DESTINATION;
import static io.virga.gateway.instance.migration.MoveEndSteps.RELEASE_DESTINATION;
import static io.virga.gateway.instance.migration.MoveEndSteps.REVERTED;
import static io.virga.gateway.instance.migration.MoveEndSteps.START_SOURCE;
import static io.virga.gateway.instance.migration.MoveSteps.FINISH;
import static io.virga.gateway.instance.migration.MoveSteps.PREPARE_DESTINATION;
import static io.virga.gateway.instance.migration.MoveSteps.STOP_SOURCE;

import jakarta.inject.Singleton;

/**
 * The move flows. Every failure before the guest runs on the destination
 * undoes the same way:
 * <pre>
 * destroy_destination ──▶ release_destination ──▶ start_source (cold, was ACTIVE) ──▶ abort
 *     (instance back on the source, old flavor and status; migration error; operation FAILED)
 * </pre>
 */
public final class MoveFlows {
    private MoveFlows() {
    }

    private static void undo(MoveFlow f, MoveParts p) {
        f.addStep(new MoveEndSteps.DestroyDestination(p, RELEASE_DESTINATION));
        f.addStep(new MoveEndSteps.ReleaseDestination(p, START_SOURCE));
        f.addStep(new MoveEndSteps.StartSource(p, ABORT));
        f.addStep(new MoveEndSteps.Abort(p));
    }

    /**
     * Resize and cold migration ({@code instance.cold-migrate}; RESIZING, task resize_migrating):
     * <pre>
     * claim_destination ──▶ stop_source ──▶ prepare_destination ──▶ copy_disk ──▶ finish_destination
     *     (boots there; VERIFY_RESIZE on the destination, new flavor; both claims held)
     * </pre>
     */
    @Singleton
    public static class ColdMigrate extends MoveFlow.Moving {
        public static final String NAME = "instance.cold-migrate";

        public ColdMigrate(MoveParts p) {
            super(p);
            addStep(new MoveSteps.ClaimDestination(p, STOP_SOURCE));
            addStep(new MoveSteps.StopSource(p));
            addStep(new MoveSteps.PrepareDestination(p, false));
            addStep(new MoveSteps.CopyDisk(p));
            addStep(new MoveSteps.FinishColdDestination(p));
            undo(this, p);
        }

        @Override
        public String name() {
            return NAME;
        }
    }

    /**
     * Live migration ({@code instance.live-migrate}; MIGRATING, task migrating):
     * <pre>
     * claim_destination ──▶ prepare_destination (live) ──▶ migrate_live ──▶ finish_destination
     *     ──▶ transfer_claim ──▶ finish (ACTIVE on the destination; migration completed)
     * </pre>
     */
    @Singleton
    public static class LiveMigrate extends MoveFlow.Moving {
        public static final String NAME = "instance.live-migrate";

        public LiveMigrate(MoveParts p) {
            super(p);
            addStep(new MoveSteps.ClaimDestination(p, PREPARE_DESTINATION));
            addStep(new MoveSteps.PrepareDestination(p, true));
            addStep(new MoveSteps.MigrateLive(p));
            addStep(new MoveSteps.ConfirmArrival(p));
            addStep(new MoveSteps.TransferClaim(p, FINISH));
            addStep(new MoveSteps.Finish(p));
            undo(this, p);
        }

        @Override
        public String name() {
            return NAME;
        }
    }

    /**
     * Evacuation ({@code instance.evacuate}; REBUILDING, task rebuild_spawning), from a DOWN host:
     * <pre>
     * claim_destination ──▶ spawn_destination ──▶ wait_destination (RUNNING report)
     *     ──▶ transfer_claim ──▶ finish (ACTIVE on the destination; migration completed)
     * </pre>
     */
    @Singleton
    public static class Evacuate extends MoveFlow.Moving {
        public static final String NAME = "instance.evacuate";

        public Evacuate(MoveParts p) {
            super(p);
            addStep(new MoveSteps.ClaimDestination(p, EvacuateSteps.SPAWN_DESTINATION));
            addStep(new EvacuateSteps.SpawnDestination(p));
            addStep(new EvacuateSteps.WaitDestination(p));
            addStep(new MoveSteps.TransferClaim(p, FINISH));
            addStep(new MoveSteps.Finish(p));
            undo(this, p);
        }

        @Override
        public String name() {
            return NAME;
        }
    }

    /**
     * Confirming a resize or cold migration ({@code instance.confirm-resize}; task resize_confirming):
     * <pre>
     * destroy_source ──▶ transfer_claim ──▶ confirmed (status before the move; migration confirmed)
     * </pre>
     */
    @Singleton
    public static class Confirm extends MoveFlow.Finishing {
        public static final String NAME = "instance.confirm-resize";

        public Confirm(MoveParts p) {
            super(p);
            addStep(new MoveEndSteps.DestroySource(p, MoveSteps.TRANSFER_CLAIM));
            addStep(new MoveSteps.TransferClaim(p, CONFIRMED));
            addStep(new MoveEndSteps.Confirmed(p));
        }

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public String firstStep() {
            return MoveEndSteps.DESTROY_SOURCE;
        }
    }

    /**
     * Reverting a resize or cold migration ({@code instance.revert-resize}; task resize_reverting):
     * <pre>
     * destroy_destination ──▶ release_destination ──▶ start_source (was ACTIVE) ──▶ reverted
     *     (on the source, old flavor, status before; migration reverted)
     * </pre>
     */
    @Singleton
    public static class Revert extends MoveFlow.Finishing {
        public static final String NAME = "instance.revert-resize";

        public Revert(MoveParts p) {
            super(p);
            addStep(new MoveEndSteps.DestroyDestination(p, RELEASE_DESTINATION));
            addStep(new MoveEndSteps.ReleaseDestination(p, START_SOURCE));
            addStep(new MoveEndSteps.StartSource(p, REVERTED));
            addStep(new MoveEndSteps.Reverted(p));
        }

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public String firstStep() {
            return DESTROY_DESTINATION;
        }
    }
}
