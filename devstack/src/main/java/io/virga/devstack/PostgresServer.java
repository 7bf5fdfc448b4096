package io.virga.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.IntSupplier;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server (zonky's binaries, see {@link PostgresBinaries}) running as a
 * child process, listening on 127.0.0.1 only, superuser {@value #USER}, trust
 * authentication (passwords are ignored).
 *
 * <p>The data directory is the caller's: a cluster found there is reused as-is (data
 * survives restarts), an absent or empty directory gets a fresh cluster. When this JVM
 * runs as root, initdb, postgres and pg_ctl run as {@code nobody:nogroup} (PostgreSQL
 * refuses root) and the data directory is chowned to that user; if a parent directory is
 * closed to others (e.g. {@code /root}), they keep CAP_DAC_READ_SEARCH to reach it.
 *
 * <p>The server is stopped by {@link #stop()}, and also when this JVM dies (see
 * {@link ChildProcesses}).
 */
public final class PostgresServer implements AutoCloseable {

    /** Superuser name; also the password callers may pass (it is ignored). */
    public static final String USER = "postgres";

    private final PostgresBinaries binaries;
    private final Path dataDir;
    private final int port;
    private final Path logFile;
    private final boolean traverse;
    private final Process process;

    private PostgresServer(Builder b, PostgresBinaries binaries, boolean traverse, int port, Process process) {
        this.binaries = binaries;
        this.dataDir = b.dataDir;
        this.port = port;
        this.logFile = b.logFile;
        this.traverse = traverse;
        this.process = process;
    }

    /** Starts a durable server on {@code dataDir} and {@code port} (0 = allocated, see {@link Builder#port}); logs beside the data dir. */
    public static PostgresServer start(Path dataDir, int port) {
        return builder(dataDir).port(port).start();
    }

    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    /** Options for {@link PostgresServer}; {@link #start()} blocks until connections are accepted. */
    public static final class Builder {
        private final Path dataDir;
        private int port;
        private Path logFile;
        private boolean durable = true;
        private Duration startTimeout = Duration.ofMinutes(3);
        private Duration bindRetryBudget = Duration.ofMinutes(2);
        private IntSupplier portSource = Ports::allocate;

        private Builder(Path dataDir) {
            this.dataDir = dataDir.toAbsolutePath().normalize();
            this.logFile = this.dataDir.resolveSibling(this.dataDir.getFileName() + ".log");
        }

        /**
         * TCP port on 127.0.0.1. 0 (default): one from {@link Ports#allocate()}, and a fresh
         * one whenever the server fails to bind it (another process took it first). A
         * positive port is used as given; if it is taken the start fails.
         */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Where the server's stdout/stderr are appended; default {@code <dataDir>.log}. */
        public Builder logFile(Path logFile) {
            this.logFile = logFile.toAbsolutePath();
            return this;
        }

        /**
         * {@code false} turns off fsync, synchronous commit and full page writes: much
         * faster, and data can be lost only if the machine (not the server) crashes.
         * Meant for tests. Default {@code true}.
         */
        public Builder durable(boolean durable) {
            this.durable = durable;
            return this;
        }

        /** How long one start may take until connections are accepted (default 3 min: busy machines are slow). */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** With port 0: how long to keep retrying fresh ports after failed binds (default 2 min). */
        public Builder bindRetryBudget(Duration budget) {
            this.bindRetryBudget = Objects.requireNonNull(budget);
            return this;
        }

        /** Where port-0 starts get their ports (tests inject a taken port first). */
        Builder portSource(IntSupplier source) {
            this.portSource = Objects.requireNonNull(source);
            return this;
        }

        /**
         * Initializes the cluster if needed, starts the server and waits until it accepts
         * connections.
         *
         * @throws DevstackException with the server log's tail if it does not come up; no
         *                           process is left running in that case
         */
        public PostgresServer start() {
            PostgresBinaries binaries = PostgresBinaries.get();
            boolean traverse = ChildProcesses.isRoot()
                    && !(othersCanTraverse(dataDir) && othersCanTraverse(binaries.home()));
            try {
                Files.createDirectories(dataDir);
                Files.createDirectories(logFile.getParent());
                prepareOwnership(dataDir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare PostgreSQL data dir " + dataDir, e);
            }
            if (!Files.isRegularFile(dataDir.resolve("PG_VERSION"))) {
                initdb(binaries, traverse);
            } else {
                stopLeftover(binaries, traverse);
            }
            boolean auto = port == 0;
            if (!auto && !Ports.isFree(port)) {
                throw new DevstackException("PostgreSQL: port " + port + " on 127.0.0.1 is already in use");
            }
            long retryUntil = System.nanoTime() + bindRetryBudget.toNanos();
            while (true) {
                int chosen = auto ? portSource.getAsInt() : port;
                long logOffset = BindFailure.offsetOf(logFile);
                PostgresServer server = new PostgresServer(this, binaries, traverse, chosen, launch(binaries, traverse, chosen));
                try {
                    server.awaitAcceptingConnections(startTimeout);
                    return server;
                } catch (RuntimeException e) {
                    server.stop();
                    boolean lostPort = e instanceof DevstackException && BindFailure.inLog(logFile, logOffset);
                    if (!(auto && lostPort && System.nanoTime() < retryUntil)) {
                        throw e;
                    }
                    // another process bound the port between allocate() and our bind: take a fresh one
                }
            }
        }

        private Process launch(PostgresBinaries binaries, boolean traverse, int chosen) {
            List<String> cmd = new ArrayList<>(List.of(binaries.bin("postgres").toString(),
                    "-D", dataDir.toString(), "-p", Integer.toString(chosen),
                    "-c", "listen_addresses=" + Ports.LOOPBACK,
                    "-c", "unix_socket_directories=",
                    "-c", "max_connections=300",
                    "-c", "shared_buffers=64MB"));
            if (!durable) {
                cmd.addAll(List.of("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"));
            }
            ProcessBuilder pb = new ProcessBuilder(ChildProcesses.unprivileged(cmd, traverse))
                    .directory(dataDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            return ChildProcesses.start(pb, "INT");
        }

        private void initdb(PostgresBinaries binaries, boolean traverse) {
            try (Stream<Path> entries = Files.list(dataDir)) {
                if (entries.findAny().isPresent()) {
                    throw new DevstackException("PostgreSQL data dir " + dataDir
                            + " is not empty but holds no cluster (no PG_VERSION); remove it or pick another");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            List<String> cmd = new ArrayList<>(List.of(binaries.bin("initdb").toString(),
                    "-D", dataDir.toString(), "-A", "trust", "-U", USER, "-E", "UTF8", "--locale=C"));
            if (!durable) {
                cmd.add("--no-sync");
            }
            ChildProcesses.run(ChildProcesses.unprivileged(cmd, traverse), Duration.ofSeconds(120));
        }

        /** A postmaster left running on this data dir (e.g. by a killed supervisor) is stopped first. */
        private void stopLeftover(PostgresBinaries binaries, boolean traverse) {
            Path pidFile = dataDir.resolve("postmaster.pid");
            if (!Files.isRegularFile(pidFile)) {
                return;
            }
            try {
                long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
                boolean alive = ProcessHandle.of(pid)
                        .flatMap(h -> h.info().command())
                        .map(c -> c.endsWith("/postgres"))
                        .orElse(false);
                if (alive) {
                    ChildProcesses.run(ChildProcesses.unprivileged(List.of(binaries.bin("pg_ctl").toString(),
                            "stop", "-D", dataDir.toString(), "-m", "fast", "-w", "-t", "30"), traverse),
                            Duration.ofSeconds(40));
                }
            } catch (IOException | NumberFormatException | IndexOutOfBoundsException e) {
                // an unreadable pid file is stale; postgres itself re-checks and removes it
            }
        }
    }

    /** The TCP port on 127.0.0.1. */
    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path logFile() {
        return logFile;
    }

    /** Pid of the postmaster. */
    public long pid() {
        return process.pid();
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/<db>}. */
    public String jdbcUrl(String db) {
        return PgDatabases.jdbcUrl(port, db);
    }

    /** A new connection to {@code db} as {@value #USER}; the caller closes it. */
    public Connection connect(String db) throws SQLException {
        return PgDatabases.connect(port, db);
    }

    /**
     * Creates database {@code name} unless it exists; idempotent, also when callers race.
     *
     * @see PgDatabases#create(int, String)
     */
    public void createDatabase(String name) {
        PgDatabases.create(port, name);
    }

    /**
     * Fast shutdown ({@code pg_ctl stop -m fast}): open transactions are rolled back,
     * the data is consistent on disk afterwards. Idempotent.
     */
    public void stop() {
        if (!process.isAlive()) {
            return;
        }
        try {
            ChildProcesses.run(ChildProcesses.unprivileged(List.of(binaries.bin("pg_ctl").toString(),
                    "stop", "-D", dataDir.toString(), "-m", "fast", "-w", "-t", "30"), traverse),
                    Duration.ofSeconds(40));
        } catch (DevstackException e) {
            // pg_ctl could not do it (e.g. the pid file is gone): fall back to signals below
        }
        ChildProcesses.destroyTree(process.toHandle(), Duration.ofSeconds(10));
    }

    @Override
    public void close() {
        stop();
    }

    private void awaitAcceptingConnections(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new DevstackException(LogTail.describe(
                        "PostgreSQL exited during start (exit " + process.exitValue() + ")", logFile));
            }
            if (Ports.isOpen(port, 200)) {
                try (Connection c = connect("postgres")) {
                    return;
                } catch (SQLException e) {
                    last = e; // e.g. "the database system is starting up"
                }
            }
            sleep(50);
        }
        throw new DevstackException(LogTail.describe("PostgreSQL did not accept connections on port " + port
                + " within " + timeout.toSeconds() + " s" + (last == null ? "" : ": " + last.getMessage()), logFile));
    }

    private static void prepareOwnership(Path dataDir) throws IOException {
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
        if (!ChildProcesses.isRoot()) {
            return;
        }
        UserPrincipalLookupService lookup = dataDir.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal user = lookup.lookupPrincipalByName(ChildProcesses.UNPRIVILEGED_USER);
        GroupPrincipal group = lookup.lookupPrincipalByGroupName(ChildProcesses.UNPRIVILEGED_GROUP);
        try (Stream<Path> paths = Files.walk(dataDir)) {
            for (Path p : paths.toList()) {
                PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class,
                        java.nio.file.LinkOption.NOFOLLOW_LINKS);
                if (!view.getOwner().equals(user)) {
                    view.setOwner(user);
                    view.setGroup(group);
                }
            }
        }
    }

    /** True when every ancestor directory of {@code path} grants others search (x) permission. */
    private static boolean othersCanTraverse(Path path) {
        for (Path p = path.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            try {
                if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevstackException("interrupted while waiting for PostgreSQL");
        }
    }

    @Override
    public String toString() {
        return "PostgresServer[127.0.0.1:" + port + ", " + dataDir + "]";
    }
}
