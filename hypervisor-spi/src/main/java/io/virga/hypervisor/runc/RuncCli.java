package io.virga.hypervisor.runc;

import io.virga.hypervisor.HypervisorException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code runc} command line, always with the driver's own {@code --root} so that drivers (tests, several
 * nodes on one host) never see each other's containers.
 *
 * <p>A container runs under a small shim: {@code setsid sh -c 'mount overlay; runc run …; echo $? > exit'}, a session of its
 * own that outlives the JVM. {@code runc run} in the foreground waits for the container's init and returns
 * its exit status (128 + signal when killed), which the shim writes to the guest's exit file; that is how a
 * driver that was not running when the container ended still tells a clean exit from a crash.
 */
final class RuncCli {
    private static final Duration BUDGET = Duration.ofSeconds(60);
    private static final String SHIM = "[ -z \"$8\" ] || mount -t overlay overlay -o \"$8\" \"$3/rootfs\" "
            + "|| { echo 125 > \"$7.tmp\"; mv \"$7.tmp\" \"$7\"; exit 125; }; "
            + "\"$1\" --root \"$2\" run --bundle \"$3\" --pid-file \"$5\" \"$4\" "
            + "</dev/null >>\"$6\" 2>&1; echo $? > \"$7.tmp\" && mv \"$7.tmp\" \"$7\"";

    private final String runc;
    private final Path root;

    RuncCli(String runc, Path root) {
        this.runc = runc;
        this.root = root;
    }

    Path root() {
        return root;
    }

    /**
     * Starts the shim running container {@code id} from {@code bundle}, first mounting the overlay
     * {@code overlayOptions} on {@code bundle/rootfs} (none when empty: it is mounted); returns at once.
     */
    Process launch(String id, Path bundle, Path pidFile, Path log, Path exitFile, String overlayOptions) {
        ProcessBuilder pb = new ProcessBuilder("setsid", "sh", "-c", SHIM, "virga-runc-shim", runc, root.toString(),
                bundle.toString(), id, pidFile.toString(), log.toString(), exitFile.toString(), overlayOptions);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            return pb.start();
        } catch (IOException e) {
            throw new HypervisorException("cannot start runc for guest " + id + ": " + e.getMessage(), e);
        }
    }

    Proc.Result kill(String id, String signal) {
        return runc("kill", id, signal);
    }

    void pause(String id) {
        check("pausing guest " + id, "pause", id);
    }

    void resume(String id) {
        check("resuming guest " + id, "resume", id);
    }

    /** Thaws the container if it is frozen; errors (it was not) are ignored. */
    void resumeQuietly(String id) {
        runc("resume", id);
    }

    /** Removes the container's runc state (and cgroup), killing it if needed; a missing container is fine. */
    void forceDelete(String id) {
        if (!Files.exists(root.resolve(id))) {
            return;
        }
        Proc.Result r = runc("delete", "--force", id);
        if (!r.ok() && Files.exists(root.resolve(id))) {
            throw new HypervisorException("cannot remove runc container " + id + ": " + r.output());
        }
    }

    /** The ids of the containers in this driver's runc root. */
    List<String> containerIds() {
        List<String> ids = new ArrayList<>();
        if (Files.isDirectory(root)) {
            try (var dirs = Files.list(root)) {
                dirs.filter(Files::isDirectory).forEach(d -> ids.add(d.getFileName().toString()));
            } catch (IOException e) {
                throw new HypervisorException("cannot list runc root " + root + ": " + e.getMessage(), e);
            }
        }
        return ids;
    }

    /** Runs {@code argv} in the running container, detached, its output appended to {@code log}. */
    void execDetached(String id, Path log, List<String> argv) {
        List<String> cmd = new ArrayList<>(List.of(runc, "--root", root.toString(), "exec", "-d", id));
        cmd.addAll(argv);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            Process p = pb.start();
            if (!p.waitFor(BUDGET.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new HypervisorException("runc exec in guest " + id + " did not return within " + BUDGET);
            }
            if (p.exitValue() != 0) {
                throw new HypervisorException("runc exec in guest " + id + " exited " + p.exitValue() + " (see " + log + ")");
            }
        } catch (IOException e) {
            throw new HypervisorException("cannot run runc exec in guest " + id + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HypervisorException("interrupted while running runc exec in guest " + id);
        }
    }

    private void check(String what, String... args) {
        Proc.Result r = runc(args);
        if (!r.ok()) {
            throw new HypervisorException(what + " failed: " + r.output());
        }
    }

    private Proc.Result runc(String... args) {
        List<String> argv = new ArrayList<>(List.of(runc, "--root", root.toString()));
        argv.addAll(List.of(args));
        return Proc.run(BUDGET, argv);
    }
}
