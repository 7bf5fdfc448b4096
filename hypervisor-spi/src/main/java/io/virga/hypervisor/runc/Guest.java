package io.virga.hypervisor.runc;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.virga.hypervisor.GuestSpec;
import io.virga.hypervisor.GuestStatus;
import io.virga.hypervisor.HypervisorException;
import io.virga.hypervisor.PowerState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One container guest of the driver: its files, its persisted record and its lock.
 *
 * <p>Files, under {@code <stateDir>/guests/<instanceId>/}: {@code guest.json} (this record), {@code bundle/}
 * (the OCI bundle: {@code config.json}, {@code rootfs/}, the overlay mount of {@link #lower()} and
 * {@code upper/}), {@code upper/} and {@code work/} (the overlay's writable layer), {@code console.log} (the container's output),
 * {@code init.pid} (runc's pid file of the current run) and {@code exit} (the exit code the shim writes
 * when a run ends).
 *
 * <p>Every field is read and changed only with {@link #lock} held, except {@link #status()}, which is a
 * volatile snapshot for {@code list()} and {@code status()}.
 */
final class Guest {
    private static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** The persisted form. {@code pid}/{@code pidStart}: the container's init and its start time in clock ticks. */
    record Stored(int format, GuestSpec spec, PowerState state, String startedAt, ImageConfig image, long pid,
                  long pidStart, long shimPid, long shimStart, String lower) {
    }

    final ReentrantLock lock = new ReentrantLock();
    final Path dir;
    private GuestSpec spec;
    private PowerState state;
    private Instant startedAt;
    private ImageConfig image = ImageConfig.NONE;
    private long pid;
    private long pidStart;
    private long shimPid;
    private long shimStart;
    private Path lower;
    private volatile GuestStatus status;

    Guest(Path dir, GuestSpec spec) {
        this.dir = dir;
        this.spec = spec;
        this.state = PowerState.BUILDING;
        publish();
    }

    static Guest load(Path dir) throws IOException {
        Stored s = JSON.readValue(dir.resolve("guest.json").toFile(), Stored.class);
        Guest g = new Guest(dir, s.spec());
        g.state = s.state();
        g.startedAt = s.startedAt() == null ? null : Instant.parse(s.startedAt());
        g.image = s.image() == null ? ImageConfig.NONE : s.image();
        g.pid = s.pid();
        g.pidStart = s.pidStart();
        g.shimPid = s.shimPid();
        g.shimStart = s.shimStart();
        g.lower = s.lower() == null ? null : Path.of(s.lower());
        g.publish();
        return g;
    }

    GuestSpec spec() {
        return spec;
    }

    PowerState state() {
        return state;
    }

    Instant startedAt() {
        return startedAt;
    }

    ImageConfig image() {
        return image;
    }

    long pid() {
        return pid;
    }

    long pidStart() {
        return pidStart;
    }

    long shimPid() {
        return shimPid;
    }

    long shimStart() {
        return shimStart;
    }

    GuestStatus status() {
        return status;
    }

    String id() {
        return spec.instanceId();
    }

    Path bundle() {
        return dir.resolve("bundle");
    }

    Path rootfs() {
        return bundle().resolve("rootfs");
    }

    /** The read-only lower layer of the root filesystem (a cached image, or an imported disk), or null before one is set. */
    Path lower() {
        return lower;
    }

    /** The guest's own writable layer: everything it changed. */
    Path upper() {
        return dir.resolve("upper");
    }

    Path work() {
        return dir.resolve("work");
    }

    Path log() {
        return dir.resolve("console.log");
    }

    Path pidFile() {
        return dir.resolve("init.pid");
    }

    Path exitFile() {
        return dir.resolve("exit");
    }

    void setSpec(GuestSpec value, ImageConfig imageConfig) {
        this.spec = value;
        this.image = imageConfig;
    }

    void setLower(Path value) {
        this.lower = value;
    }

    /** Records a new run of the container's init and of its shim (RUNNING, booted now). */
    void booted(long initPid, long initStart, long shim, long shimStartTicks) {
        this.pid = initPid;
        this.pidStart = initStart;
        this.shimPid = shim;
        this.shimStart = shimStartTicks;
        this.startedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        this.state = PowerState.RUNNING;
        save();
    }

    /** Moves to {@code next} (along the {@link PowerState} table) and saves. */
    void become(PowerState next) {
        if (next != state && !state.canBecome(next)) {
            throw new IllegalStateException("guest " + id() + ": " + state + " cannot become " + next);
        }
        this.state = next;
        save();
    }

    /** Writes {@code guest.json} and publishes the new status. */
    void save() {
        try {
            Files.createDirectories(dir);
            Stored s = new Stored(FORMAT, spec, state, startedAt == null ? null : startedAt.toString(), image, pid,
                    pidStart, shimPid, shimStart, lower == null ? null : lower.toString());
            Files2.writeAtomically(dir.resolve("guest.json"), JSON.writeValueAsBytes(s));
        } catch (IOException e) {
            throw new HypervisorException("cannot save the state of guest " + id() + ": " + e.getMessage(), e);
        }
        publish();
    }

    private void publish() {
        status = new GuestStatus(spec.instanceId(), state, spec.vcpus(), spec.ramMb(),
                state == PowerState.BUILDING ? null : startedAt, ended());
    }

    /** How the last run ended (from the shim's exit file), for a SHUTDOWN or CRASHED guest; else null. */
    private String ended() {
        if (state != PowerState.SHUTDOWN && state != PowerState.CRASHED) {
            return null;
        }
        long code = GuestRuntime.readLong(exitFile());
        if (code < 0) {
            return "the container's process ended without an exit status";
        }
        if (code > 128 && code < 160) {
            return "the container's process was killed by signal " + (code - 128) + " (exit status " + code + ")";
        }
        return "the container's process exited with code " + code;
    }
}
