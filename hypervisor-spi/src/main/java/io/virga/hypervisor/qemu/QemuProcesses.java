package io.virga.hypervisor.qemu;

import io.virga.hypervisor.HypervisorException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starting QEMU processes (daemonized), finding them again by pid file, and ending them; plus qemu-img. */
final class QemuProcesses {

    private QemuProcesses() {
    }

    /**
     * Starts QEMU daemonized and returns its pid once it has initialized (QEMU's parent process exits only
     * then). Its stderr goes to {@code files.stderr()}.
     *
     * @throws HypervisorException with QEMU's own error message when it does not start
     */
    static long launch(List<String> argv, GuestFiles files, Duration timeout) {
        try {
            Files.deleteIfExists(files.pidFile());
            Files.createDirectories(files.runDir());
            for (Path sock : List.of(files.qmpSocket(), files.serialSocket(), files.agentSocket(), files.vncSocket())) {
                Files.deleteIfExists(sock);
            }
            Process p = new ProcessBuilder(argv)
                    .redirectErrorStream(true)
                    .redirectOutput(files.stderr().toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new HypervisorException("QEMU did not start within " + timeout + ": " + tail(files.stderr()));
            }
            if (p.exitValue() != 0) {
                throw new HypervisorException("QEMU failed to start (exit " + p.exitValue() + "): " + tail(files.stderr()));
            }
            long pid = readPid(files).orElseThrow(() -> new HypervisorException(
                    "QEMU started but wrote no pid file " + files.pidFile() + ": " + tail(files.stderr())));
            return pid;
        } catch (IOException e) {
            throw new HypervisorException("cannot start QEMU: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HypervisorException("interrupted while starting QEMU");
        }
    }

    static java.util.OptionalLong readPid(GuestFiles files) {
        try {
            String s = Files.readString(files.pidFile()).trim();
            return s.isEmpty() ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(Long.parseLong(s));
        } catch (IOException | NumberFormatException e) {
            return java.util.OptionalLong.empty();
        }
    }

    /**
     * Whether {@code pid} is a live (not zombie) QEMU of this guest: its command line names the guest's
     * QMP socket, so a recycled pid is not mistaken for it.
     */
    static boolean alive(long pid, GuestFiles files) {
        if (pid <= 0) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            int close = stat.lastIndexOf(')');
            char state = close > 0 && close + 2 < stat.length() ? stat.charAt(close + 2) : '?';
            if (state == 'Z' || state == 'X') {
                return false;
            }
            byte[] cmd = Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline"));
            return new String(cmd, StandardCharsets.UTF_8).contains(files.qmpSocket().toString());
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits up to {@code timeout} for the process to end; then kills it (SIGKILL) and waits again. */
    static void awaitExitOrKill(long pid, GuestFiles files, Duration timeout) {
        if (awaitExit(pid, files, timeout)) {
            return;
        }
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        if (!awaitExit(pid, files, Duration.ofSeconds(30))) {
            throw new HypervisorException("QEMU process " + pid + " does not die");
        }
    }

    static boolean awaitExit(long pid, GuestFiles files, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (alive(pid, files)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            sleep(20);
        }
        return true;
    }

    /** Runs {@code qemu-img} (or another short tool) and fails with its output when it fails. */
    static void run(List<String> argv, Duration timeout) {
        try {
            Path out = Files.createTempFile("virga-qemu-tool", ".log");
            try {
                Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(out.toFile()).start();
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    throw new HypervisorException(String.join(" ", argv) + " did not finish within " + timeout);
                }
                if (p.exitValue() != 0) {
                    throw new HypervisorException(String.join(" ", argv) + " failed: " + tail(out));
                }
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new HypervisorException("cannot run " + argv.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HypervisorException("interrupted while running " + argv.get(0));
        }
    }

    static String tail(Path file) {
        try {
            String s = Files.readString(file).strip();
            return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
        } catch (IOException e) {
            return "(no output)";
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HypervisorException("interrupted");
        }
    }
}
