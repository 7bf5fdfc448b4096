package io.virga.hypervisor.qemu;

import io.virga.hypervisor.MigrationEndpoint;
import io.virga.hypervisor.GuestSpec;
import io.virga.hypervisor.GuestStatus;
import io.virga.hypervisor.PowerState;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One guest as the driver knows it. Operations on it hold {@link #lock} (one guest at a time, never the
 * driver as a whole); {@link #status} is readable without the lock (the last state published).
 */
final class QemuGuest {
    final String id;
    final GuestFiles files;
    final ReentrantLock lock = new ReentrantLock();
    /** Completes with the outcome of the build while the guest is being spawned; null otherwise. */
    volatile CompletableFuture<GuestStatus> build;
    volatile GuestSpec spec;
    volatile GuestStatus status;
    volatile List<GuestSpec.Disk> hotplugged = List.of();
    volatile boolean incoming;
    /** Where a prepared live-migration destination waits (its QEMU runs {@code -incoming}); null otherwise. */
    volatile MigrationEndpoint liveEndpoint;
    /** The QEMU process, 0 when there is none. */
    volatile long pid;
    volatile QmpClient qmp;
    /** Where the serial log stood when the guest last (re)booted; the ready line is looked for after it. */
    volatile long bootLogOffset;
    /** Set by {@code destroy} before it waits for the lock, so that a build under way fails. */
    volatile boolean destroyed;
    /** Set when QEMU reported that the guest powered itself off. */
    volatile boolean poweredOffByGuest;

    QemuGuest(GuestSpec spec, GuestFiles files, GuestStatus status) {
        this.id = spec.instanceId();
        this.spec = spec;
        this.files = files;
        this.status = status;
    }

    PowerState state() {
        return status.state();
    }

    StoredGuest stored() {
        return new StoredGuest(StoredGuest.FORMAT, spec, status.state(),
                status.startedAt() == null ? null : status.startedAt().toString(), hotplugged, incoming);
    }
}
