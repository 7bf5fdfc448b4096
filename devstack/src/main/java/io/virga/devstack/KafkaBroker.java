package io.virga.devstack;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntSupplier;

/**
 * A real single-node Kafka (KRaft: broker and controller in one process) running in a
 * child JVM ({@code kafka.Kafka}, classpath from {@link KafkaClasspath}).
 *
 * <p>Listens on 127.0.0.1 only. Topics are auto-created with 3 partitions; every
 * replication factor is 1. Logs live in {@code <dataDir>/kraft-logs} and survive
 * restarts: the storage is formatted only when it holds no cluster yet.
 *
 * <p>{@link Builder#start()} returns once the JVM runs; call {@link #awaitReady(Duration)}
 * before using the broker. The child gets SIGTERM when this JVM dies.
 */
public final class KafkaBroker implements AutoCloseable {

    private final Path dataDir;
    private final Path logFile;
    private final Path config;
    private final String classpath;
    private final List<String> java;
    private final boolean autoPort;
    private final boolean autoControllerPort;
    private final IntSupplier portSource;
    // replaced together (under this) when a start is retried on fresh ports
    private volatile int port;
    private volatile int controllerPort;
    private volatile Process process;
    private volatile long logOffset;

    private KafkaBroker(Builder b, Path config, String classpath, List<String> java) {
        this.dataDir = b.dataDir;
        this.logFile = b.logFile;
        this.config = config;
        this.classpath = classpath;
        this.java = java;
        this.autoPort = b.port == 0;
        this.autoControllerPort = b.controllerPort == 0;
        this.portSource = b.portSource;
        this.port = b.port;
        this.controllerPort = b.controllerPort;
    }

    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    /** Options for {@link KafkaBroker}. */
    public static final class Builder {
        private final Path dataDir;
        private Path logFile;
        private int port;
        private int controllerPort;
        private String maxHeap = "256m";
        private IntSupplier portSource = Ports::allocate;

        private Builder(Path dataDir) {
            this.dataDir = dataDir.toAbsolutePath().normalize();
            this.logFile = this.dataDir.resolveSibling(this.dataDir.getFileName() + ".log");
        }

        /**
         * Client (PLAINTEXT) port on 127.0.0.1. 0 (default): one from {@link Ports#allocate()},
         * replaced by a fresh one when the broker fails to bind it (see {@link #awaitReady}).
         * A positive port is used as given; if it is taken the start fails.
         */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** KRaft controller port on 127.0.0.1; 0 (default) as for {@link #port(int)}. */
        public Builder controllerPort(int port) {
            this.controllerPort = port;
            return this;
        }

        /** Where the broker JVM's stdout/stderr are appended; default {@code <dataDir>.log}. */
        public Builder logFile(Path logFile) {
            this.logFile = logFile.toAbsolutePath();
            return this;
        }

        /** {@code -Xmx} of the broker JVM, default {@code 256m}. */
        public Builder maxHeap(String maxHeap) {
            this.maxHeap = Objects.requireNonNull(maxHeap);
            return this;
        }

        /** Where port-0 listeners get their ports (tests inject a taken port first). */
        Builder portSource(IntSupplier source) {
            this.portSource = Objects.requireNonNull(source);
            return this;
        }

        /**
         * Writes {@code server.properties}, formats the storage if it is new, and starts
         * the broker JVM. Does not wait for readiness.
         *
         * @throws DevstackException if a given (non-zero) port is taken, formatting fails or
         *                           the JVM cannot start
         */
        public KafkaBroker start() {
            if (port != 0 && port == controllerPort) {
                throw new IllegalArgumentException("Kafka: client and controller port are both " + port);
            }
            for (int p : new int[] {port, controllerPort}) {
                if (p != 0 && !Ports.isFree(p)) {
                    throw new DevstackException("Kafka: port " + p + " on 127.0.0.1 is already in use");
                }
            }
            try {
                Files.createDirectories(dataDir);
                Files.createDirectories(logFile.getParent());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare Kafka data dir " + dataDir, e);
            }
            String classpath = KafkaClasspath.resolve();
            KafkaBroker broker = new KafkaBroker(this, dataDir.resolve("server.properties"), classpath,
                    javaCommand(classpath, "kafka.Kafka"));
            broker.chooseAutoPorts();
            broker.writeConfig();
            if (!Files.isRegularFile(broker.logDirs().resolve("meta.properties"))) {
                // the static voter set is configuration, not stored: later starts may use other ports
                List<String> format = javaCommand(classpath, "kafka.tools.StorageTool");
                format.addAll(List.of("format", "-t", Uuid.randomUuid().toString(), "-c", broker.config.toString()));
                ChildProcesses.run(format, Duration.ofSeconds(120));
            }
            broker.launch();
            return broker;
        }

        private List<String> javaCommand(String classpath, String mainClass) {
            return new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx" + maxHeap, "-Xss512k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-Djava.awt.headless=true",
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                    "-Dorg.slf4j.simpleLogger.showDateTime=true",
                    "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.common.config=warn",
                    "-Dlog4j2.statusLoggerLevel=OFF",
                    "-cp", classpath, mainClass));
        }
    }

    private Path logDirs() {
        return dataDir.resolve("kraft-logs");
    }

    /** Fresh ports for the listeners that were given as 0. */
    private synchronized void chooseAutoPorts() {
        if (autoPort) {
            port = portSource.getAsInt();
        }
        if (autoControllerPort) {
            int p = portSource.getAsInt();
            while (p == port) {
                p = portSource.getAsInt();
            }
            controllerPort = p;
        }
    }

    private synchronized void writeConfig() {
        try {
            Files.writeString(config, serverProperties(port, controllerPort, logDirs()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + config, e);
        }
    }

    private synchronized void launch() {
        List<String> cmd = new ArrayList<>(java);
        cmd.add(config.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(dataDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        logOffset = BindFailure.offsetOf(logFile);
        process = ChildProcesses.start(pb, "TERM");
    }

    static String serverProperties(int port, int controllerPort, Path logDirs) {
        String listener = Ports.LOOPBACK + ":";
        return String.join("\n",
                "# written by io.virga.devstack.KafkaBroker on every start",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@" + listener + controllerPort,
                "listeners=PLAINTEXT://" + listener + port + ",CONTROLLER://" + listener + controllerPort,
                "advertised.listeners=PLAINTEXT://" + listener + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                "log.dirs=" + logDirs,
                "auto.create.topics.enable=true",
                "num.partitions=3",
                "default.replication.factor=1",
                "min.insync.replicas=1",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=10",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "num.network.threads=2",
                "num.io.threads=4",
                "log.retention.hours=168",
                "");
    }

    /** {@code 127.0.0.1:<port>}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return Ports.LOOPBACK + ":" + port;
    }

    public int port() {
        return port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path logFile() {
        return logFile;
    }

    /** Pid of the broker JVM. */
    public long pid() {
        return process.pid();
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /**
     * Blocks until the broker answers a metadata request (AdminClient describeCluster)
     * listing itself and an active controller. When a listener given as port 0 could not be
     * bound (another process took the port first), the broker is restarted on fresh ports
     * within the same timeout; {@link #port()} and {@link #controllerPort()} then change.
     *
     * @throws DevstackException with the broker log's tail if the JVM exits, a given port
     *                           cannot be bound, or the timeout passes; the broker is left
     *                           running in the timeout case
     */
    public void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                awaitReadyOnce(deadline, timeout);
                return;
            } catch (BindFailed e) {
                stop(Duration.ofSeconds(10));
                if (!(autoPort || autoControllerPort) || System.nanoTime() > deadline) {
                    throw new DevstackException(LogTail.describe("Kafka broker could not bind 127.0.0.1:" + port
                            + " or :" + controllerPort, logFile));
                }
                chooseAutoPorts();
                writeConfig();
                launch();
            }
        }
    }

    /** The broker reported a failed bind (it may or may not have exited). */
    private static final class BindFailed extends RuntimeException {
        BindFailed() {
            super(null, null, false, false);
        }
    }

    private void awaitReadyOnce(long deadline, Duration timeout) {
        int clientPort = port;
        while (!Ports.isOpen(clientPort, 200)) {
            checkAlive();
            checkDeadline(deadline, timeout, null);
            sleep(100);
        }
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG, "virga-devstack-ready",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000,
                AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 100);
        Exception last = null;
        try (Admin admin = Admin.create(config)) {
            while (true) {
                checkAlive();
                checkDeadline(deadline, timeout, last);
                try {
                    var cluster = admin.describeCluster();
                    Collection<Node> nodes = cluster.nodes().get(3, TimeUnit.SECONDS);
                    Node controller = cluster.controller().get(3, TimeUnit.SECONDS);
                    if (!nodes.isEmpty() && controller != null && !controller.isEmpty()) {
                        checkAlive(); // a listener that failed to bind may only show in the log
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    last = e;
                }
                sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevstackException("interrupted while waiting for Kafka", e);
        }
    }

    /** Stops the broker (SIGTERM: controlled shutdown), killing it after 30 s. Idempotent. */
    public void stop() {
        stop(Duration.ofSeconds(30));
    }

    /** Stops the broker (SIGTERM), killing it after {@code grace}. Idempotent. */
    public void stop(Duration grace) {
        ChildProcesses.destroyTree(process.toHandle(), grace);
    }

    @Override
    public void close() {
        stop();
    }

    private void checkAlive() {
        if (BindFailure.inLog(logFile, logOffset)) {
            throw new BindFailed();
        }
        if (!process.isAlive()) {
            throw new DevstackException(LogTail.describe(
                    "Kafka broker exited during start (exit " + process.exitValue() + ")", logFile));
        }
    }

    private void checkDeadline(long deadline, Duration timeout, Exception last) {
        if (System.nanoTime() > deadline) {
            throw new DevstackException(LogTail.describe("Kafka broker on " + bootstrapServers()
                    + " not ready within " + timeout.toSeconds() + " s"
                    + (last == null ? "" : ": " + last.getMessage()), logFile));
        }
    }

    private static void sleep(long millis) throws DevstackException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevstackException("interrupted while waiting for Kafka");
        }
    }

    @Override
    public String toString() {
        return "KafkaBroker[" + bootstrapServers() + ", " + dataDir + "]";
    }
}
