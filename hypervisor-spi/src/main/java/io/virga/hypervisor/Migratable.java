package io.virga.hypervisor;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * Optional capability: move a guest to another host running the same driver. Trait
 * {@link Traits#MIGRATE}, and {@link Traits#LIVE_MIGRATE} when {@link #supportsLive()}.
 *
 * <p>The protocol, driven by the control plane (source S, destination D):
 * <ol>
 *   <li>cold: S {@link #exportDisk} (guest must be SHUTDOWN) → D {@link #prepareIncoming} with
 *   {@code live=false} and the exported bytes given to {@link #importDisk}; D {@link #finishIncoming}
 *   boots it. S keeps its stopped guest until the move is confirmed (then S destroys it) or reverted
 *   (then D destroys its copy and S starts again).</li>
 *   <li>live: D {@link #prepareIncoming} with {@code live=true} (D's guest waits, not running);
 *   S {@link #migrateTo} streams memory and disks while the guest keeps running and, once D runs it,
 *   removes its own; D {@link #finishIncoming} confirms it runs.</li>
 * </ol>
 * On any failure before {@link #finishIncoming}, D {@link Hypervisor#destroy}s its half and the guest
 * stays (or is started again) on S: a guest never runs on both, and never on neither while S has it.
 */
public interface Migratable {

    /** Whether {@link #migrateTo} can move a running guest. Constant. */
    boolean supportsLive();

    /**
     * Destination: reserves the guest's resources and makes its disks (from {@code spec}'s connections,
     * or empty to be filled by {@link #importDisk}), then waits for the guest.
     * Idempotent for the same spec. The guest is listed as BUILDING until {@link #finishIncoming}.
     *
     * @throws CapacityExceededException when the host lacks room
     */
    MigrationEndpoint prepareIncoming(GuestSpec spec, boolean live);

    /**
     * Source, cold: writes the SHUTDOWN guest's boot disk (flattened, no backing file) to {@code out}.
     *
     * @return its format
     * @throws GuestConflictException when the guest is not SHUTDOWN
     */
    DiskFormat exportDisk(String instanceId, OutputStream out);

    /** Destination, cold: fills the prepared guest's boot disk from {@code in} (what {@link #exportDisk} wrote). */
    void importDisk(String instanceId, DiskFormat format, InputStream in);

    /**
     * Source, live: moves the RUNNING guest to {@code target}, blocking until the destination runs it,
     * then removes the source's copy (process and local disks) and releases its resources.
     *
     * @throws GuestConflictException when the guest is not RUNNING, or {@code target} is not live
     * @throws HypervisorException    when the move fails; the guest then still runs here
     */
    void migrateTo(String instanceId, MigrationEndpoint target);

    /** Destination: the guest runs here (cold: boots it; live: confirms the stream completed). */
    GuestStatus finishIncoming(String instanceId);
}
