package io.virga.compute.guest;

import io.virga.compute.config.ComputeConfig;
import io.virga.contracts.events.v1.PowerState;
import io.virga.hypervisor.ConsoleEndpoint;
import io.virga.hypervisor.Consoles;
import io.virga.hypervisor.DiskFormat;
import io.virga.hypervisor.GraphicalConsole;
import io.virga.hypervisor.GuestNotFoundException;
import io.virga.hypervisor.GuestSpec;
import io.virga.hypervisor.GuestStatus;
import io.virga.hypervisor.Hypervisor;
import io.virga.hypervisor.Migratable;
import io.virga.hypervisor.MigrationEndpoint;
import io.virga.hypervisor.Pausable;
import io.virga.hypervisor.PowerControl;
import io.virga.hypervisor.Rebuildable;
import io.virga.hypervisor.Snapshottable;
import io.virga.hypervisor.Suspendable;
import io.virga.hypervisor.Traits;
import io.virga.hypervisor.VolumeHotplug;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The actions on one guest beyond spawn and destroy, each mapped to the driver's capability interface
 * and run under the guest's lock ({@link GuestManager#withGuest}). Each action that changes (or may
 * change) the guest reports its power state afterwards, with the action's name as the message.
 *
 * <p>Errors: {@link MissingCapabilityException} naming the trait when the driver lacks the capability
 * (checked first, before anything changes); otherwise the driver's own ({@link GuestNotFoundException},
 * {@link io.virga.hypervisor.GuestConflictException} naming the power state, …), unchanged.
 */
@Singleton
public class GuestActions {
    private static final Logger LOG = Logger.getLogger(GuestActions.class);

    private final Hypervisor hypervisor;
    private final GuestManager guests;
    private final String hostName;

    @Inject
    public GuestActions(Hypervisor hypervisor, GuestManager guests, ComputeConfig config) {
        this(hypervisor, guests, config.hostName());
    }

    GuestActions(Hypervisor hypervisor, GuestManager guests, String hostName) {
        this.hypervisor = hypervisor;
        this.guests = guests;
        this.hostName = hostName;
    }

    /** Graceful for {@code grace} (ACPI / SIGTERM), then forced; {@link Duration#ZERO}: forced at once. */
    public GuestStatus stop(String id, Duration grace) {
        return change(id, PowerControl.class, Traits.POWER_CONTROL, "stop",
                p -> grace.isZero() ? p.stop(id) : p.shutdown(id, grace));
    }

    public GuestStatus start(String id) {
        return change(id, PowerControl.class, Traits.POWER_CONTROL, "start", p -> p.start(id));
    }

    public GuestStatus reboot(String id, boolean hard, Duration grace) {
        return change(id, PowerControl.class, Traits.POWER_CONTROL, hard ? "reboot (hard)" : "reboot (soft)",
                p -> p.reboot(id, hard, grace));
    }

    public GuestStatus pause(String id) {
        return change(id, Pausable.class, Traits.PAUSE, "pause", p -> p.pause(id));
    }

    public GuestStatus unpause(String id) {
        return change(id, Pausable.class, Traits.PAUSE, "unpause", p -> p.resume(id));
    }

    public GuestStatus suspend(String id) {
        return change(id, Suspendable.class, Traits.SUSPEND, "suspend", s -> s.suspend(id));
    }

    public GuestStatus resume(String id) {
        return change(id, Suspendable.class, Traits.SUSPEND, "resume", s -> s.resumeSuspended(id));
    }

    /** Writes the boot disk as a standalone image to {@code out}; the guest keeps its power state. */
    public DiskFormat snapshot(String id, OutputStream out) {
        Snapshottable s = capability(Snapshottable.class, Traits.SNAPSHOT);
        return guests.withGuest(id, () -> s.snapshot(id, out));
    }

    /**
     * Checks, before anything else is done for a rebuild or an incoming migration (e.g. resolving
     * images), that the driver has the capability.
     *
     * @throws MissingCapabilityException naming the trait
     */
    public void requireCapability(String trait) {
        switch (trait) {
            case Traits.REBUILD -> capability(Rebuildable.class, trait);
            case Traits.MIGRATE -> capability(Migratable.class, trait);
            case Traits.LIVE_MIGRATE -> liveMigratable();
            default -> throw new IllegalArgumentException("no check for trait " + trait);
        }
    }

    /** New boot image, same id, NICs and resources; the guest runs afterwards. */
    public GuestStatus rebuild(GuestSpec spec) {
        return change(spec.instanceId(), Rebuildable.class, Traits.REBUILD, "rebuild", r -> r.rebuild(spec));
    }

    /** Destination: reserves the guest's resources and waits for it. */
    public MigrationEndpoint prepareIncoming(GuestSpec spec, boolean live) {
        Migratable m = live ? liveMigratable() : capability(Migratable.class, Traits.MIGRATE);
        return guests.withGuest(spec.instanceId(), () -> m.prepareIncoming(spec, live));
    }

    /**
     * Source, live: the guest moves to {@code target}; reported DELETED here ("migrated live to …").
     *
     * @return its status here just before it left
     */
    public GuestStatus migrateLive(String id, MigrationEndpoint target) {
        Migratable m = liveMigratable();
        return guests.withGuest(id, () -> {
            GuestStatus before = statusOf(id);
            m.migrateTo(id, target);
            LOG.infof("guest %s migrated live to %s", id, target.uri());
            guests.report(id, PowerState.DELETED, "migrated live to " + target.uri());
            return before;
        });
    }

    /** Source, cold: the stopped guest's boot disk, flattened, to {@code out}. */
    public DiskFormat exportDisk(String id, OutputStream out) {
        Migratable m = capability(Migratable.class, Traits.MIGRATE);
        return guests.withGuest(id, () -> m.exportDisk(id, out));
    }

    /** Destination, cold: fills the prepared guest's boot disk. */
    public void importDisk(String id, DiskFormat format, InputStream in) {
        Migratable m = capability(Migratable.class, Traits.MIGRATE);
        guests.withGuest(id, () -> {
            m.importDisk(id, format, in);
            return null;
        });
    }

    /** Destination: the migrated guest runs here. */
    public GuestStatus finishIncoming(String id) {
        return change(id, Migratable.class, Traits.MIGRATE, "arrived by migration", m -> m.finishIncoming(id));
    }

    public List<ConsoleEndpoint> consoles(String id) {
        Consoles c = capability(Consoles.class, Traits.CONSOLE);
        return guests.withGuest(id, () -> c.consoles(id));
    }

    /** A new connection to the guest's VNC server; the caller closes it. */
    public java.nio.channels.SocketChannel openGraphicalConsole(String id) {
        GraphicalConsole c = capability(GraphicalConsole.class, Traits.GRAPHICAL_CONSOLE);
        return guests.withGuest(id, () -> c.openGraphicalConsole(id));
    }

    public GuestStatus attachVolume(String id, GuestSpec.Disk disk) {
        return change(id, VolumeHotplug.class, Traits.VOLUME_HOTPLUG, "volume " + disk.volumeId() + " attached",
                v -> {
                    v.attach(id, disk);
                    return statusOf(id);
                });
    }

    public GuestStatus detachVolume(String id, String volumeId) {
        return change(id, VolumeHotplug.class, Traits.VOLUME_HOTPLUG, "volume " + volumeId + " detached", v -> {
            v.detach(id, volumeId);
            return statusOf(id);
        });
    }

    public GuestStatus volumeResized(String id, String volumeId, long sizeGb) {
        return change(id, VolumeHotplug.class, Traits.VOLUME_HOTPLUG, "volume " + volumeId + " is now " + sizeGb + " GB",
                v -> {
                    v.resized(id, volumeId, sizeGb);
                    return statusOf(id);
                });
    }

    /** Runs {@code work} on the capability under the guest's lock and reports the state it leaves. */
    private <C> GuestStatus change(String id, Class<C> type, String trait, String action, Function<C, GuestStatus> work) {
        C capability = capability(type, trait);
        return guests.withGuest(id, () -> {
            GuestStatus after = work.apply(capability);
            LOG.infof("guest %s: %s -> %s", id, action, after.state());
            guests.report(id, GuestView.eventState(after.state()), action);
            return after;
        });
    }

    private GuestStatus statusOf(String id) {
        return hypervisor.status(id).orElseThrow(() -> new GuestNotFoundException(id));
    }

    private Migratable liveMigratable() {
        Migratable m = capability(Migratable.class, Traits.LIVE_MIGRATE);
        if (!m.supportsLive()) {
            throw new MissingCapabilityException(hostName, hypervisor.type(), Traits.LIVE_MIGRATE);
        }
        return m;
    }

    private <C> C capability(Class<C> type, String trait) {
        if (!type.isInstance(hypervisor)) {
            throw new MissingCapabilityException(hostName, hypervisor.type(), trait);
        }
        return type.cast(hypervisor);
    }
}
