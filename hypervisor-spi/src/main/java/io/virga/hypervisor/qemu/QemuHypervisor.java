package io.virga.hypervisor.qemu;

import io.virga.hypervisor.ConsoleEndpoint;
import io.virga.hypervisor.Consoles;
import io.virga.hypervisor.GraphicalConsole;
import io.virga.hypervisor.DiskFormat;
import io.virga.hypervisor.GuestConflictException;
import io.virga.hypervisor.Migratable;
import io.virga.hypervisor.MigrationEndpoint;
import io.virga.hypervisor.Rebuildable;
import io.virga.hypervisor.Snapshottable;
import io.virga.hypervisor.Suspendable;
import io.virga.hypervisor.VolumeHotplug;
import java.io.InputStream;
import java.io.OutputStream;
import io.virga.hypervisor.GuestKind;
import io.virga.hypervisor.GuestNotFoundException;
import io.virga.hypervisor.GuestSpec;
import io.virga.hypervisor.GuestStatus;
import io.virga.hypervisor.GuestWatch;
import io.virga.hypervisor.HostCapacity;
import io.virga.hypervisor.Hypervisor;
import io.virga.hypervisor.HypervisorException;
import io.virga.hypervisor.InvalidGuestSpecException;
import io.virga.hypervisor.Pausable;
import io.virga.hypervisor.PowerControl;
import io.virga.hypervisor.PowerState;
import io.virga.hypervisor.Traits;
import io.virga.hypervisor.VirtMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * The {@code qemu} driver: one {@code qemu-system-x86_64} process per VM, driven over QMP on a unix
 * socket (no libvirt). KVM when {@code /dev/kvm} is usable (trait {@code COMPUTE_QEMU_KVM}), TCG otherwise
 * ({@code COMPUTE_QEMU_TCG}). The device model follows the guest's virt mode (see {@link QemuCommandLine}).
 *
 * <p>Guests outlive the driver: QEMU daemonizes (own session, pid file) and a new driver on the same state
 * directory adopts them: a guest whose QEMU still runs is connected to again and keeps running, one whose
 * QEMU died is reported CRASHED, one that powered itself off SHUTDOWN. {@link #close()} lets go of the
 * guests without stopping them (as a JVM exit does).
 *
 * <p>{@link #spawn} returns once QEMU runs the VM; the guest OS boots after that. The project's guest
 * image prints a ready line on its serial console, see {@link #awaitReady}.
 */
public final class QemuHypervisor implements Hypervisor, PowerControl, Pausable, Suspendable, Snapshottable,
        Rebuildable, Consoles, GraphicalConsole, VolumeHotplug, Migratable, GuestWatch, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(QemuHypervisor.class.getName());

    private final QemuRuntime rt;
    private final Set<String> traits;
    private final PowerOps power;
    private final StateOps states;
    private final DiskOps disks;
    private final MigrationOps migrations;
    private final LiveMigration live;
    private final VncConsole vnc;

    /**
     * A driver on {@code options.stateDir()}, adopting the guests found there.
     *
     * @throws HypervisorException when the state directory cannot be made, or qemu is not installed
     */
    public QemuHypervisor(QemuOptions options) {
        Objects.requireNonNull(options, "options");
        if (!options.qemuInstalled()) {
            throw new HypervisorException(options.qemuBinary() + " / " + options.qemuImg()
                    + " not found: install qemu-system-x86 and qemu-utils (scripts/setup.sh)");
        }
        this.rt = new QemuRuntime(options);
        this.power = new PowerOps(rt);
        this.states = new StateOps(rt);
        this.disks = new DiskOps(rt, power);
        this.live = new LiveMigration(rt, states);
        this.vnc = new VncConsole(rt);
        this.migrations = new MigrationOps(rt, power, live);
        Set<String> t = new TreeSet<>(Traits.capabilities(this));
        t.add(Traits.computeType(type()));
        t.add(Traits.computeType(type()) + (rt.kvm ? "_KVM" : "_TCG"));
        t.add(GuestKind.VM.trait());
        t.add(GuestKind.DESKTOP.trait());
        for (VirtMode mode : VirtMode.values()) {
            t.add(mode.trait());
        }
        this.traits = Collections.unmodifiableSet(t);
        try {
            Files.createDirectories(GuestFiles.guestsDir(options.stateDir()));
        } catch (IOException e) {
            throw new HypervisorException("cannot create state directory " + options.stateDir() + ": " + e.getMessage(), e);
        }
        new Adoption(rt).adoptAll();
    }

    /** Hears of a guest that powered itself off or whose QEMU process went away. */
    @Override
    public void watch(Consumer<String> changed) {
        rt.watch(changed);
    }

    @Override
    public String type() {
        return "qemu";
    }

    @Override
    public HostCapacity capacity() {
        return rt.options.capacity();
    }

    @Override
    public Set<String> traits() {
        return traits;
    }

    /** Whether guests run under KVM (else TCG). */
    public boolean kvm() {
        return rt.kvm;
    }

    // ---- spawn / destroy / status -----------------------------------------------------------------

    @Override
    public GuestStatus spawn(GuestSpec spec) {
        Objects.requireNonNull(spec, "spec");
        if (spec.kind() == GuestKind.CONTAINER) {
            throw new InvalidGuestSpecException("kind", "the qemu driver runs VMs, not containers");
        }
        GuestFiles files = rt.files(spec.instanceId());
        QemuCommandLine.build(rt.options, rt.kvm, spec, List.of(), files, false, QemuCommandLine.Start.BOOT);
        QemuGuest mine;
        CompletableFuture<GuestStatus> other = null;
        synchronized (rt.books) {
            QemuGuest existing = rt.guests.get(spec.instanceId());
            if (existing != null) {
                if (existing.spec.vcpus() != spec.vcpus() || existing.spec.ramMb() != spec.ramMb()) {
                    throw new GuestConflictException("guest " + spec.instanceId() + " exists with "
                            + existing.spec.vcpus() + " vCPUs and " + existing.spec.ramMb() + " MB");
                }
                other = existing.build;
                if (other == null) {
                    return existing.status;
                }
                mine = null;
            } else {
                mine = new QemuGuest(spec, files,
                        new GuestStatus(spec.instanceId(), PowerState.BUILDING, spec.vcpus(), spec.ramMb(), null));
                mine.build = new CompletableFuture<>();
                rt.reserve(mine);
            }
        }
        return mine == null ? await(other, spec.instanceId()) : build(mine);
    }

    private GuestStatus build(QemuGuest g) {
        g.lock.lock();
        try {
            if (Files.exists(g.files.dir())) {
                QemuRuntime.deleteTree(g.files.dir()); // left over from a build cut short
            }
            rt.persist(g);
            power.boot(g);
            if (g.destroyed) {
                throw new HypervisorException("guest " + g.id + " was destroyed while it was building");
            }
            GuestStatus running = g.status;
            g.build.complete(running);
            g.build = null;
            return running;
        } catch (RuntimeException e) {
            abandon(g);
            g.build.completeExceptionally(e);
            throw e;
        } finally {
            g.lock.unlock();
        }
    }

    /** Removes everything a failed build made. Under the guest's lock. */
    private void abandon(QemuGuest g) {
        try {
            rt.terminate(g, Duration.ZERO);
            TapDevices.remove(g.spec);
            rt.removeFiles(g);
        } catch (RuntimeException cleanup) {
            LOG.log(System.Logger.Level.WARNING, "cleanup of failed guest " + g.id + ": " + cleanup.getMessage());
        } finally {
            rt.release(g);
        }
    }

    private static GuestStatus await(CompletableFuture<GuestStatus> build, String id) {
        try {
            return build.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HypervisorException("interrupted while waiting for the build of guest " + id);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new HypervisorException("build of guest " + id + " failed: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public boolean destroy(String instanceId) {
        QemuGuest g = instanceId == null ? null : rt.guests.get(instanceId);
        if (g == null) {
            return false;
        }
        g.destroyed = true;
        g.lock.lock();
        try {
            if (rt.guests.get(instanceId) != g) {
                return true; // its build failed (because of us) and cleaned up
            }
            rt.terminate(g, Duration.ZERO);
            TapDevices.remove(g.spec);
            rt.removeFiles(g);
            rt.release(g);
            return true;
        } finally {
            g.lock.unlock();
        }
    }

    @Override
    public Optional<GuestStatus> status(String instanceId) {
        QemuGuest g = instanceId == null ? null : rt.guests.get(instanceId);
        if (g == null) {
            return Optional.empty();
        }
        if (g.lock.tryLock()) {
            try {
                rt.reconcile(g);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot update the state of guest " + instanceId + ": " + e.getMessage());
            } finally {
                g.lock.unlock();
            }
        }
        return rt.guests.get(instanceId) == g ? Optional.of(g.status) : Optional.empty();
    }

    @Override
    public List<GuestStatus> list() {
        List<GuestStatus> all = new ArrayList<>();
        for (String id : List.copyOf(rt.guests.keySet())) {
            status(id).ifPresent(all::add);
        }
        return all;
    }

    // ---- power ------------------------------------------------------------------------------------

    @Override
    public GuestStatus stop(String instanceId) {
        return power.shutdown(instanceId, Duration.ZERO);
    }

    @Override
    public GuestStatus shutdown(String instanceId, Duration grace) {
        return power.shutdown(instanceId, grace == null ? Duration.ZERO : grace);
    }

    @Override
    public GuestStatus start(String instanceId) {
        return power.start(instanceId);
    }

    @Override
    public GuestStatus reboot(String instanceId) {
        return power.reboot(instanceId, true, Duration.ZERO);
    }

    @Override
    public GuestStatus reboot(String instanceId, boolean hard, Duration grace) {
        return power.reboot(instanceId, hard, grace == null ? Duration.ZERO : grace);
    }

    @Override
    public GuestStatus pause(String instanceId) {
        return power.pause(instanceId);
    }

    @Override
    public GuestStatus resume(String instanceId) {
        return power.resume(instanceId);
    }

    @Override
    public GuestStatus suspend(String instanceId) {
        return states.suspend(instanceId);
    }

    @Override
    public GuestStatus resumeSuspended(String instanceId) {
        return states.resumeSuspended(instanceId);
    }

    @Override
    public DiskFormat snapshot(String instanceId, OutputStream out) {
        return disks.snapshot(instanceId, out);
    }

    @Override
    public GuestStatus rebuild(GuestSpec spec) {
        return disks.rebuild(spec);
    }

    @Override
    public List<ConsoleEndpoint> consoles(String instanceId) {
        QemuGuest g = rt.guest(instanceId);
        List<ConsoleEndpoint> list = new java.util.ArrayList<>();
        vnc.endpoint(g).ifPresent(list::add);
        list.add(new ConsoleEndpoint(ConsoleEndpoint.Type.SERIAL, null, 0, g.files.serialLog().toString()));
        return list;
    }

    @Override
    public java.nio.channels.SocketChannel openGraphicalConsole(String instanceId) {
        return vnc.open(instanceId);
    }

    @Override
    public void attach(String instanceId, GuestSpec.Disk disk) {
        disks.attach(instanceId, disk);
    }

    @Override
    public void detach(String instanceId, String volumeId) {
        disks.detach(instanceId, volumeId);
    }

    @Override
    public void resized(String instanceId, String volumeId, long newSizeGb) {
        disks.resized(instanceId, volumeId, newSizeGb);
    }

    // ---- migration (cold and live) -----------------------------------------------------------------

    /** True: {@link #migrateTo} moves a running guest with its local disks ({@link LiveMigration}). */
    @Override
    public boolean supportsLive() {
        return true;
    }

    @Override
    public MigrationEndpoint prepareIncoming(GuestSpec spec, boolean live) {
        return migrations.prepareIncoming(spec, live);
    }

    @Override
    public DiskFormat exportDisk(String instanceId, OutputStream out) {
        return disks.exportDisk(instanceId, out);
    }

    @Override
    public void importDisk(String instanceId, DiskFormat format, InputStream in) {
        migrations.importDisk(instanceId, format, in);
    }

    @Override
    public void migrateTo(String instanceId, MigrationEndpoint target) {
        live.migrateTo(instanceId, target);
    }

    @Override
    public GuestStatus finishIncoming(String instanceId) {
        return migrations.finishIncoming(instanceId);
    }

    // ---- observing the guest OS ---------------------------------------------------------------------

    /** The guest's serial console log (what its OS printed on ttyS0, across boots). */
    public Path serialLog(String instanceId) {
        return rt.guest(instanceId).files.serialLog();
    }

    /**
     * Waits until the guest's OS printed its ready line ({@code VIRGA-READY instance=<id> ...}, from the
     * project's guest image) on the serial console since it last booted, and returns that line.
     *
     * @throws GuestNotFoundException for an unknown guest
     * @throws HypervisorException    when no ready line appears within {@code timeout}
     */
    public String awaitReady(String instanceId, Duration timeout) {
        return awaitConsoleLine(instanceId, "VIRGA-READY instance=" + instanceId, timeout);
    }

    /**
     * Asks the guest agent of the project's guest image (on the guest's second serial port) one command,
     * e.g. {@code ping}, {@code ip}, {@code devices}, {@code uptime}, {@code disks}, and returns its answer
     * line; retries until {@code timeout} (the agent answers once the guest OS is up).
     */
    public String agent(String instanceId, String command, Duration timeout) {
        return AgentClient.ask(rt.guest(instanceId).files.agentSocket(), command, timeout);
    }

    /** The pid of the guest's QEMU process, 0 when it has none. */
    public long pid(String instanceId) {
        return rt.guest(instanceId).pid;
    }

    /**
     * Waits until a line containing {@code text} appears on the guest's serial console since it last
     * booted, and returns the line.
     */
    public String awaitConsoleLine(String instanceId, String text, Duration timeout) {
        QemuGuest g = rt.guest(instanceId);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<String> line = findLine(g.files.serialLog(), g.bootLogOffset, text);
            if (line.isPresent()) {
                return line.get();
            }
            if (System.nanoTime() > deadline) {
                throw new HypervisorException("guest " + instanceId + " printed no line with '" + text + "' within "
                        + timeout);
            }
            QemuProcesses.sleep(100);
        }
    }

    private static Optional<String> findLine(Path log, long from, String text) {
        try {
            if (!Files.exists(log)) {
                return Optional.empty();
            }
            byte[] all = Files.readAllBytes(log);
            int start = (int) Math.min(from, all.length);
            int end = all.length;
            while (end > start && all[end - 1] != '\n') {
                end--; // only whole lines: the guest may be in the middle of printing one
            }
            String s = new String(all, start, end - start, StandardCharsets.UTF_8);
            for (String line : s.split("\r?\n")) {
                if (line.contains(text)) {
                    return Optional.of(line.strip());
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Lets go of every guest without stopping it (closes the QMP connections), as the driver's process
     * ending would. The driver must not be used afterwards.
     */
    @Override
    public void close() {
        rt.shutdownReactions();
        for (QemuGuest g : rt.guests.values()) {
            QmpClient c = g.qmp;
            g.qmp = null;
            if (c != null) {
                c.close();
            }
        }
    }

    QemuRuntime runtime() {
        return rt;
    }

    static List<Path> stateFiles(Path stateDir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(GuestFiles.guestsDir(stateDir))) {
            for (Path d : dirs) {
                if (Files.isRegularFile(d.resolve("state.json"))) {
                    files.add(d.resolve("state.json"));
                }
            }
        }
        return files;
    }

    static Instant parseInstant(String s) {
        return s == null ? null : Instant.parse(s);
    }
}
