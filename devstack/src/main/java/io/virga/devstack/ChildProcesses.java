package io.virga.devstack;

import com.sun.security.auth.module.UnixSystem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts and stops the child processes of devstack (PostgreSQL, the Kafka JVM, the
 * service JVMs) so that none of them outlives this JVM.
 *
 * <p>On Linux with util-linux {@code setpriv} available, every child is started as
 * {@code setpriv --pdeathsig <SIG> <command>}: the kernel sends {@code SIG} to the
 * child when the thread that forked it ends. All forks therefore happen on one
 * dedicated thread that lives as long as the JVM, so the signal arrives exactly
 * when this JVM exits, even on {@code kill -9}. Without setpriv, children are
 * started directly and only the orderly shutdown paths stop them.
 *
 * <p>When this JVM runs as root, {@link #unprivileged(List)} turns a command into one
 * that runs as {@code nobody:nogroup} (PostgreSQL refuses to run as root).
 */
final class ChildProcesses {

    /** The account used for programs that refuse to run as root. */
    static final String UNPRIVILEGED_USER = "nobody";
    static final String UNPRIVILEGED_GROUP = "nogroup";

    private static final ExecutorService FORKER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "virga-devstack-forker");
        t.setDaemon(true);
        return t;
    });

    private static final Optional<Path> SETPRIV = which("setpriv");

    private ChildProcesses() {
    }

    /** True when this JVM runs with uid 0. */
    static boolean isRoot() {
        return new UnixSystem().getUid() == 0;
    }

    /** The setpriv executable, if installed. */
    static Optional<Path> setpriv() {
        return SETPRIV;
    }

    /**
     * Starts {@code builder}'s command so that it receives {@code deathSignal} (e.g.
     * {@code "TERM"}, {@code "INT"}) when this JVM exits. The command may come from
     * {@link #unprivileged(List, boolean)}.
     *
     * @throws DevstackException if the command cannot be started; nothing is left running
     */
    static Process start(ProcessBuilder builder, String deathSignal) {
        List<String> original = builder.command();
        if (SETPRIV.isPresent()) {
            // one setpriv only: a uid change after PR_SET_PDEATHSIG would clear the death signal
            String sp = SETPRIV.get().toString();
            List<String> wrapped = new ArrayList<>();
            wrapped.add(sp);
            wrapped.add("--pdeathsig");
            wrapped.add(deathSignal);
            wrapped.addAll(original.get(0).equals(sp) ? original.subList(1, original.size()) : original);
            builder = new ProcessBuilder(wrapped)
                    .directory(builder.directory())
                    .redirectInput(builder.redirectInput())
                    .redirectOutput(builder.redirectOutput())
                    .redirectError(builder.redirectError())
                    .redirectErrorStream(builder.redirectErrorStream());
            // environment is copied by ProcessBuilder from this JVM; callers do not change it
        }
        ProcessBuilder toStart = builder;
        try {
            return FORKER.submit(toStart::start).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new DevstackException("cannot start " + String.join(" ", original) + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new DevstackException("starting " + original.get(0) + " took more than 30 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevstackException("interrupted while starting " + original.get(0), e);
        }
    }

    /**
     * Returns {@code command} unchanged for a non-root JVM; for root, prefixed with
     * setpriv so that it runs as nobody:nogroup with no supplementary groups. When
     * {@code traverse} is true the child also keeps CAP_DAC_READ_SEARCH, so it can
     * reach directories below root-only parents (e.g. a data dir under /root).
     *
     * @throws DevstackException when root and setpriv is missing
     */
    static List<String> unprivileged(List<String> command, boolean traverse) {
        if (!isRoot()) {
            return command;
        }
        Path sp = SETPRIV.orElseThrow(() -> new DevstackException(
                "running as root: PostgreSQL must run as an unprivileged user, which needs"
                        + " 'setpriv' (Debian/Ubuntu package util-linux)"));
        List<String> out = new ArrayList<>(List.of(sp.toString(),
                "--reuid=" + UNPRIVILEGED_USER, "--regid=" + UNPRIVILEGED_GROUP, "--clear-groups"));
        if (traverse) {
            out.add("--inh-caps=+dac_read_search");
            out.add("--ambient-caps=+dac_read_search");
        }
        out.addAll(command);
        return out;
    }

    /**
     * Runs a short command to completion (not tied to this JVM's life: it is expected
     * to finish within {@code timeout}).
     *
     * @return the combined stdout+stderr
     * @throws DevstackException on a non-zero exit or timeout, with the output in the message
     */
    static String run(List<String> command, Duration timeout) {
        try {
            Path out = Files.createTempFile("virga-devstack-", ".out");
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(out.toFile()).start();
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    destroyTree(p.toHandle(), Duration.ZERO);
                    throw new DevstackException(String.join(" ", command) + " did not finish within "
                            + timeout.toSeconds() + " s: " + Files.readString(out));
                }
                String text = Files.readString(out);
                if (p.exitValue() != 0) {
                    throw new DevstackException(String.join(" ", command) + " failed (exit "
                            + p.exitValue() + "): " + text.strip());
                }
                return text;
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevstackException("interrupted while running " + command.get(0), e);
        }
    }

    /**
     * Asks a process to stop (SIGTERM), waits up to {@code grace}, then kills it and
     * everything it started (SIGKILL). Returns once the process is gone.
     */
    static void destroyTree(ProcessHandle process, Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        try {
            process.onExit().get(Math.max(grace.toMillis(), 1), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        descendants.forEach(ProcessHandle::destroyForcibly);
        try {
            process.onExit().get(10, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new DevstackException("process " + process.pid() + " did not exit after SIGKILL");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Finds an executable on the PATH (or in /usr/bin, /usr/sbin, /bin, /sbin). */
    static Optional<Path> which(String name) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/bin:/usr/sbin:/bin:/sbin";
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
