package io.virga.hypervisor.qemu;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.virga.hypervisor.CapacityExceededException;
import io.virga.hypervisor.DiskFormat;
import io.virga.hypervisor.GuestConflictException;
import io.virga.hypervisor.GuestNotFoundException;
import io.virga.hypervisor.GuestSpec;
import io.virga.hypervisor.GuestStatus;
import io.virga.hypervisor.HypervisorException;
import io.virga.hypervisor.PowerState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * What every operation of the qemu driver shares: the guests, the capacity books, and the primitives
 * (launch a guest's QEMU, talk QMP to it, end it, keep its state file). The map and the books are
 * guarded by {@link #books} for bookkeeping only; everything that does I/O runs under the guest's own
 * lock ({@link #locked}).
 */
final class QemuRuntime {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final System.Logger LOG = System.getLogger(QemuRuntime.class.getName());

    final QemuOptions options;
    final boolean kvm;
    final Map<String, QemuGuest> guests = new ConcurrentHashMap<>();
    final Object books = new Object();
    private volatile Consumer<String> watcher = id -> { };
    private final ExecutorService reactions = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "qemu-events");
        t.setDaemon(true);
        return t;
    });

    QemuRuntime(QemuOptions options) {
        this.options = options;
        this.kvm = options.kvm();
    }

    GuestFiles files(String id) {
        return GuestFiles.of(options.stateDir(), id);
    }

    // ---- lookup and locking -------------------------------------------------------------------

    QemuGuest guest(String id) {
        QemuGuest g = id == null ? null : guests.get(id);
        if (g == null) {
            throw new GuestNotFoundException(id);
        }
        return g;
    }

    /** Runs {@code op} under the guest's lock, once the guest is known and not being built. */
    <T> T locked(String id, Supplier<T> op) {
        QemuGuest g = guest(id);
        g.lock.lock();
        try {
            if (guests.get(id) != g) {
                throw new GuestNotFoundException(id);
            }
            if (g.state() == PowerState.BUILDING) {
                throw new GuestConflictException("guest " + id + " is still being built");
            }
            reconcile(g);
            return op.get();
        } finally {
            g.lock.unlock();
        }
    }

    // ---- capacity -----------------------------------------------------------------------------

    /** Why {@code spec} does not fit next to the guests known now; empty when it fits. Call under {@link #books}. */
    List<String> shortfalls(GuestSpec spec) {
        long ram = 0;
        long disk = 0;
        for (QemuGuest g : guests.values()) {
            ram += g.spec.ramMb();
            disk += g.spec.diskGb();
        }
        List<String> why = new ArrayList<>();
        String host = options.hostName();
        if (spec.vcpus() > options.capacity().vcpus()) {
            why.add(host + " has " + options.capacity().vcpus() + " vCPUs, guest needs " + spec.vcpus());
        }
        long freeRam = options.capacity().ramMb() - ram;
        if (spec.ramMb() > freeRam) {
            why.add(host + " has " + Math.max(0, freeRam) + " MB RAM free, guest needs " + spec.ramMb() + " MB");
        }
        long freeDisk = options.capacity().diskGb() - disk;
        if (spec.diskGb() > freeDisk) {
            why.add(host + " has " + Math.max(0, freeDisk) + " GB disk free, guest needs " + spec.diskGb() + " GB");
        }
        return why;
    }

    /** Adds a new guest to the books, or fails for capacity. */
    void reserve(QemuGuest g) {
        synchronized (books) {
            List<String> why = shortfalls(g.spec);
            if (!why.isEmpty()) {
                throw new CapacityExceededException(String.join("; ", why));
            }
            guests.put(g.id, g);
        }
    }

    void release(QemuGuest g) {
        synchronized (books) {
            guests.remove(g.id, g);
        }
    }

    // ---- state file ---------------------------------------------------------------------------

    void persist(QemuGuest g) {
        try {
            Files.createDirectories(g.files.dir());
            Path tmp = g.files.dir().resolve("state.json.tmp");
            Files.write(tmp, JSON.writeValueAsBytes(g.stored()));
            Files.move(tmp, g.files.stateFile(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new HypervisorException("cannot save the state of guest " + g.id + ": " + e.getMessage(), e);
        }
    }

    static StoredGuest read(Path stateFile) throws IOException {
        StoredGuest s = JSON.readValue(stateFile.toFile(), StoredGuest.class);
        if (s == null || s.format() != StoredGuest.FORMAT || s.spec() == null || s.state() == null) {
            throw new IOException("incomplete or unknown format");
        }
        return s;
    }

    /** Publishes the guest's new state (and persists it). */
    GuestStatus publish(QemuGuest g, PowerState state, Instant startedAt) {
        g.status = new GuestStatus(g.id, state, g.spec.vcpus(), g.spec.ramMb(), startedAt);
        persist(g);
        return g.status;
    }

    // ---- the QEMU process -----------------------------------------------------------------------

    /** Makes the guest's local disks that do not exist yet (overlays on their images). */
    void createLocalDisks(QemuGuest g) {
        for (int i = 0; i < g.spec.disks().size(); i++) {
            GuestSpec.Disk d = g.spec.disks().get(i);
            if (d.connection() == null || d.connection().path() != null) {
                continue;
            }
            Path local = g.files.localDisk(i);
            if (Files.exists(local)) {
                continue;
            }
            String backing = d.connection().backingPath();
            if (!Files.isReadable(Path.of(backing))) {
                throw new HypervisorException("image " + backing + " of disk " + d.volumeId() + " is not readable on "
                        + options.hostName());
            }
            qemuImg("create", "-q", "-f", "qcow2", "-b", backing, "-F", d.connection().backingFormat().wireName(),
                    local.toString(), d.sizeGb() + "G");
        }
    }

    void qemuImg(String... args) {
        List<String> argv = new ArrayList<>(List.of(options.qemuImg()));
        argv.addAll(List.of(args));
        QemuProcesses.run(argv, options.commandTimeout().multipliedBy(10));
    }

    /**
     * Starts the guest's QEMU (paused, {@code -S}) and connects to its QMP socket. The caller then
     * {@code cont}s it (or feeds it a migration stream).
     */
    void launch(QemuGuest g, QemuCommandLine.Start start) {
        try {
            Files.createDirectories(g.files.dir());
            if (!g.spec.userData().isEmpty()) {
                Files.writeString(g.files.userData(), g.spec.userData(), StandardCharsets.UTF_8);
            } else {
                Files.deleteIfExists(g.files.userData());
            }
        } catch (IOException e) {
            throw new HypervisorException("cannot write the files of guest " + g.id + ": " + e.getMessage(), e);
        }
        TapDevices.ensure(g.spec);
        List<String> argv = QemuCommandLine.build(options, kvm, g.spec, g.hotplugged, g.files,
                !g.spec.userData().isEmpty(), start);
        g.poweredOffByGuest = false;
        g.pid = QemuProcesses.launch(argv, g.files, options.commandTimeout());
        try {
            connect(g, options.commandTimeout());
        } catch (RuntimeException e) {
            terminate(g, Duration.ZERO);
            throw e;
        }
    }

    void connect(QemuGuest g, Duration timeout) {
        QmpClient old = g.qmp;
        if (old != null) {
            old.close();
        }
        g.qmp = QmpClient.connect(g.files.qmpSocket(), timeout, ev -> onEvent(g, ev));
    }

    /** The guest's QMP connection, connecting again when it was lost while QEMU still runs. */
    QmpClient qmp(QemuGuest g) {
        QmpClient c = g.qmp;
        if (c != null && c.isOpen()) {
            return c;
        }
        if (!QemuProcesses.alive(g.pid, g.files)) {
            throw new HypervisorException("QEMU of guest " + g.id + " is not running");
        }
        connect(g, options.commandTimeout());
        return g.qmp;
    }

    JsonNode qmp(QemuGuest g, String command, Map<String, ?> args) {
        return qmp(g).execute(command, args, options.commandTimeout());
    }

    /** QEMU's run state of the guest ({@code running}, {@code paused}, {@code shutdown}, ...). */
    String runState(QemuGuest g) {
        return qmp(g, "query-status", null).path("status").asText();
    }

    /** Marks the guest's boot: where its serial log stands now is where its ready line will follow. */
    void markBoot(QemuGuest g) {
        try {
            g.bootLogOffset = Files.exists(g.files.serialLog()) ? Files.size(g.files.serialLog()) : 0;
        } catch (IOException e) {
            g.bootLogOffset = 0;
        }
    }

    /**
     * Ends the guest's QEMU: {@code quit} over QMP, then waits up to {@code wait} (at least a few seconds)
     * and kills it. No-op when there is no process.
     */
    void terminate(QemuGuest g, Duration wait) {
        long pid = g.pid;
        if (pid > 0 && QemuProcesses.alive(pid, g.files)) {
            try {
                QmpClient c = g.qmp;
                if (c != null && c.isOpen()) {
                    c.execute("quit", null, Duration.ofSeconds(10));
                }
            } catch (HypervisorException e) {
                // it may already be going away; the kill below makes sure
            }
            Duration atLeast = wait.compareTo(Duration.ofSeconds(10)) < 0 ? Duration.ofSeconds(10) : wait;
            QemuProcesses.awaitExitOrKill(pid, g.files, atLeast);
        }
        QmpClient c = g.qmp;
        g.qmp = null;
        if (c != null) {
            c.close();
        }
        g.pid = 0;
    }

    /** Removes the guest's files: its directory (local disks included) and its socket directory. */
    void removeFiles(QemuGuest g) {
        deleteTree(g.files.dir());
        if (!g.files.runDir().equals(g.files.dir())) {
            deleteTree(g.files.runDir());
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new HypervisorException("cannot remove " + dir + ": " + e.getMessage(), e);
        }
    }

    // ---- reacting to what QEMU reports -----------------------------------------------------------

    private void onEvent(QemuGuest g, QmpClient.Event ev) {
        if ("SHUTDOWN".equals(ev.name()) && ev.data().path("guest").asBoolean(false)) {
            g.poweredOffByGuest = true;
            reactions.execute(() -> reconcileAndTell(g));
        } else if (QmpClient.CLOSED.equals(ev.name())) {
            reactions.execute(() -> reconcileAndTell(g));
        }
    }

    /** Sets who hears that a guest changed by itself (see {@link io.virga.hypervisor.GuestWatch}). */
    void watch(Consumer<String> changed) {
        watcher = Objects.requireNonNull(changed, "changed");
    }

    private void reconcileAndTell(QemuGuest g) {
        reconcileIfIdle(g);
        watcher.accept(g.id);
    }

    private void reconcileIfIdle(QemuGuest g) {
        if (guests.get(g.id) != g || !g.lock.tryLock()) {
            return; // an operation holds the guest: it sets the state itself
        }
        try {
            reconcile(g);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot update the state of guest " + g.id + ": " + e.getMessage());
        } finally {
            g.lock.unlock();
        }
    }

    /**
     * Under the guest's lock: brings its published state in line with its QEMU process. A RUNNING or
     * PAUSED guest whose process is gone is CRASHED; one that powered itself off is SHUTDOWN (and its
     * lingering process, kept by {@code -no-shutdown}, ends).
     */
    void reconcile(QemuGuest g) {
        PowerState s = g.state();
        if (s != PowerState.RUNNING && s != PowerState.PAUSED) {
            return;
        }
        if (!QemuProcesses.alive(g.pid, g.files)) {
            g.pid = 0;
            publish(g, g.poweredOffByGuest ? PowerState.SHUTDOWN : PowerState.CRASHED, g.status.startedAt());
            return;
        }
        if (g.poweredOffByGuest) {
            terminate(g, Duration.ZERO);
            publish(g, PowerState.SHUTDOWN, g.status.startedAt());
        }
    }

    void shutdownReactions() {
        reactions.shutdownNow();
    }

    static DiskFormat formatOf(GuestSpec.Disk d) {
        return d.connection() == null || d.connection().path() == null ? DiskFormat.QCOW2 : d.connection().format();
    }
}
