package io.virga.hypervisor.runc;

import io.virga.hypervisor.HypervisorException;
import io.virga.hypervisor.PowerState;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Runs and stops the container of one guest. Every method is called with the guest's lock held.
 *
 * <p>Whether a guest's container runs is read from the host, not remembered: its init's pid (from runc's
 * pid file) must be alive with the start time recorded at boot (so a reused pid is not mistaken for it).
 * When it is gone, the shim's exit file says how it ended: 0 is a clean exit (SHUTDOWN), anything else
 * (a non-zero exit, 128 + a signal, or no exit file at all) is a crash.
 */
final class GuestRuntime {
    private static final Duration KILL_BUDGET = Duration.ofSeconds(30);
    private final RuncCli runc;
    private final Duration startTimeout;
    private volatile Consumer<String> watcher = id -> { };

    GuestRuntime(RuncCli runc, Duration startTimeout) {
        this.runc = runc;
        this.startTimeout = startTimeout;
    }

    /** Runs the guest's bundle as it is and waits until its init runs; RUNNING afterwards. */
    void boot(Guest g) {
        try {
            Files.deleteIfExists(g.pidFile());
            Files.deleteIfExists(g.exitFile());
        } catch (IOException e) {
            throw new HypervisorException("cannot prepare guest " + g.id() + ": " + e.getMessage(), e);
        }
        runc.forceDelete(g.id());
        Process shim = runc.launch(g.id(), g.bundle(), g.pidFile(), g.log(), g.exitFile(), RootfsMount.optionsIfUnmounted(g));
        boolean started = waitFor(startTimeout, () -> Files.exists(g.pidFile()) || Files.exists(g.exitFile())
                || !shim.isAlive());
        long pid = readLong(g.pidFile());
        if (!started || pid <= 0) {
            shim.destroyForcibly();
            runc.forceDelete(g.id());
            throw new HypervisorException("container of guest " + g.id() + " did not start"
                    + (started ? "" : " within " + startTimeout) + ": " + tail(g.log()));
        }
        g.booted(pid, startTicks(pid), shim.pid(), startTicks(shim.pid()));
        // the shim ends when the container does (its exit file written): the node hears of it at once
        shim.onExit().thenRun(() -> watcher.accept(g.id()));
    }

    /** Sets who hears that a container this runtime started has ended (see {@link io.virga.hypervisor.GuestWatch}). */
    void watch(Consumer<String> changed) {
        watcher = Objects.requireNonNull(changed, "changed");
    }

    /** Whether the guest's init (the one recorded at its last boot) still runs. */
    boolean alive(Guest g) {
        return g.pid() > 0 && startTicks(g.pid()) == g.pidStart() && g.pidStart() > 0;
    }

    /**
     * Notices a container that ended behind the driver's back: RUNNING/PAUSED → SHUTDOWN or CRASHED. While its
     * init is gone but its shim still runs (runc cleaning up, the exit code not yet written) nothing changes.
     */
    void refresh(Guest g) {
        PowerState s = g.state();
        if ((s == PowerState.RUNNING || s == PowerState.PAUSED) && !alive(g) && !shimBusy(g)) {
            g.become(readLong(g.exitFile()) == 0 ? PowerState.SHUTDOWN : PowerState.CRASHED);
            runc.forceDelete(g.id());
        }
    }

    /**
     * Ends the container: SIGTERM and up to {@code grace} for it to exit (skipped when grace is zero), then
     * SIGKILL. Returns when its init is gone and runc has let go of it. The caller records the new state.
     */
    void kill(Guest g, Duration grace) {
        if (alive(g)) {
            if (g.state() == PowerState.PAUSED) {
                runc.kill(g.id(), "KILL");
                runc.resumeQuietly(g.id());
            }
            if (!grace.isZero() && !grace.isNegative()) {
                runc.kill(g.id(), "TERM");
                waitFor(grace, () -> !alive(g));
            }
            if (alive(g)) {
                runc.kill(g.id(), "KILL");
                if (!waitFor(KILL_BUDGET, () -> !alive(g))) {
                    throw new HypervisorException("container of guest " + g.id() + " did not die within " + KILL_BUDGET);
                }
            }
            // the shim writes the exit file once runc has cleaned up after the container
            waitFor(Duration.ofSeconds(10), () -> Files.exists(g.exitFile()));
        }
        runc.forceDelete(g.id());
    }

    private static boolean shimBusy(Guest g) {
        return !Files.exists(g.exitFile()) && g.shimPid() > 0 && g.shimStart() > 0
                && startTicks(g.shimPid()) == g.shimStart();
    }

    /** The last lines of a guest's console log, for error messages. */
    static String tail(Path log) {
        try {
            if (!Files.exists(log)) {
                return "(no output)";
            }
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            String t = String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size())).strip();
            return t.isEmpty() ? "(no output)" : t;
        } catch (IOException e) {
            return "(console log unreadable: " + e.getMessage() + ")";
        }
    }

    /** Start time of process {@code pid} in clock ticks since boot (field 22 of /proc/pid/stat), or -1. */
    static long startTicks(long pid) {
        try (RandomAccessFile f = new RandomAccessFile("/proc/" + pid + "/stat", "r")) {
            String stat = f.readLine();
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            if (fields[0].equals("Z") || fields[0].equals("X")) {
                return -1;
            }
            return Long.parseLong(fields[19]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The number in a small file, or -1 when it is missing or not a number. */
    static long readLong(Path file) {
        try {
            return Long.parseLong(Files.readString(file).strip());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** Polls {@code condition} until it holds or {@code budget} passes; true when it held. */
    static boolean waitFor(Duration budget, BooleanSupplier condition) {
        long deadline = System.nanoTime() + budget.toNanos();
        long pause = 1;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HypervisorException("interrupted while waiting for a container");
            }
            pause = Math.min(10, pause * 2);
        }
        return true;
    }
}
