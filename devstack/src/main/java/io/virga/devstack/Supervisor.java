package io.virga.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a whole local Virga cloud as separate processes: PostgreSQL, Kafka, then the
 * services in the order of {@link StackPlan#groups()}, each waited for until its
 * {@code /q/health/ready} answers 200. Used by {@code ./virga up} ({@link Main}) and,
 * programmatically, by the end-to-end tests.
 *
 * <p>{@link #start} returns a running cloud or throws; on failure everything it had
 * started is stopped again and the exception names the failing part and quotes its log.
 * While running, {@code <home>/state.json} is kept current. {@link #close()} (also run by
 * a shutdown hook, e.g. on SIGTERM) stops the services in reverse order (SIGTERM, SIGKILL
 * after 10 s), then Kafka, then PostgreSQL, and deletes state.json.
 */
public final class Supervisor implements AutoCloseable {

    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    /** How long failed binds are retried (on fresh ports at boot, on the same ports at a restart). */
    private static final Duration BIND_RETRY_BUDGET = Duration.ofMinutes(2);

    private final SupervisorOptions options;
    private final StackPlan plan;
    private final StateFile stateFile;
    private final Map<String, ManagedProcess> processes = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, String> states = new ConcurrentHashMap<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "virga-supervisor-watch");
        t.setDaemon(true);
        return t;
    });
    private final Thread shutdownHook = new Thread(this::close, "virga-supervisor-stop");
    private volatile StateFile.Status status = StateFile.Status.STARTING;
    /** The ports in use: {@code options.ports()} with every 0 replaced once allocated. */
    private volatile StackPorts ports;
    private volatile long bindRetryUntil;
    private volatile PostgresServer postgres;
    private volatile KafkaBroker kafka;
    private boolean closing; // guarded by this
    private boolean stateDeleted; // guarded by this

    private final CrashRestarts crashRestarts;

    private Supervisor(SupervisorOptions options) {
        this.options = options;
        this.plan = new StackPlan(options);
        this.ports = options.ports();
        this.stateFile = new StateFile(options.home());
        this.crashRestarts = new CrashRestarts(this::restartAny, this::progress);
    }

    /**
     * Starts everything and returns once every service is ready.
     *
     * @throws DevstackException naming the service that failed (and its log's tail), a
     *                           missing jar or a port in use; nothing is left running
     */
    public static Supervisor start(SupervisorOptions options) {
        Supervisor supervisor = new Supervisor(options);
        try {
            supervisor.boot();
        } catch (RuntimeException e) {
            supervisor.close();
            throw e;
        }
        return supervisor;
    }

    private void boot() {
        preflight();
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        Path logs = options.home().resolve("logs");
        try {
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        bindRetryUntil = System.nanoTime() + BIND_RETRY_BUDGET.toNanos();
        writeState();
        long t = System.nanoTime();
        // port 0: PostgresServer and KafkaBroker allocate and, when a bind fails, retry themselves
        postgres = PostgresServer.builder(options.home().resolve("pg")).port(ports.postgres())
                .logFile(logs.resolve("postgres.log")).durable(options.durable()).start();
        ports = ports.withPostgres(postgres.port());
        StackPlan.DATABASES.values().forEach(postgres::createDatabase);
        states.put("postgres", "ready");
        progress("postgres ready on 127.0.0.1:%d (%s)", postgres.port(), since(t));
        writeState();
        t = System.nanoTime();
        checkNotClosing();
        kafka = KafkaBroker.builder(options.home().resolve("kafka")).port(ports.kafka())
                .controllerPort(ports.kafkaController()).logFile(logs.resolve("kafka.log")).start();
        writeState();
        kafka.awaitReady(options.readyTimeout());
        ports = ports.withKafka(kafka.port(), kafka.controllerPort());
        states.put("kafka", "ready");
        progress("kafka ready on %s (%s)", kafka.bootstrapServers(), since(t));
        int groups = plan.groups().size();
        for (int i = 0; i < groups; i++) {
            for (StackPlan.ServiceSpec spec : plan.groups().get(i)) {
                ports = ports.with(spec.name(), allocated(ports.of(spec.name())));
            }
            // specs from the ports allocated so far: the gateway's clients dial the backends' actual ports
            List<ManagedProcess> started = new ArrayList<>();
            for (StackPlan.ServiceSpec spec : new StackPlan(options, ports).groups().get(i)) {
                started.add(launch(spec));
            }
            writeState();
            awaitReady(started, true);
        }
        status = StateFile.Status.RUNNING;
        writeState();
        watcher.scheduleWithFixedDelay(this::watch, 1, 1, TimeUnit.SECONDS);
    }

    /** {@code requested} with each 0 replaced by {@link Ports#allocate()}. */
    private static StackPorts.ServicePorts allocated(StackPorts.ServicePorts requested) {
        return new StackPorts.ServicePorts(requested.http() == 0 ? Ports.allocate() : requested.http(),
                requested.grpc() == 0 ? Ports.allocate() : requested.grpc());
    }

    /** Fails before starting anything when a jar is missing or a port is taken. */
    private void preflight() {
        List<String> problems = new ArrayList<>();
        for (StackPlan.ServiceSpec spec : plan.services()) {
            Path jar = spec.jar(options.repoRoot());
            if (!Files.isRegularFile(jar)) {
                problems.add(spec.name() + ": missing " + jar);
            }
        }
        if (!problems.isEmpty()) {
            problems.add("build first: mvn -DskipTests install (or ./virga up --build)");
        }
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("postgres", options.ports().postgres());
        ports.put("kafka", options.ports().kafka());
        ports.put("kafka controller", options.ports().kafkaController());
        // 0 = allocated later
        for (StackPlan.ServiceSpec spec : plan.services()) {
            ports.put(spec.name() + " http", spec.ports().http());
            ports.put(spec.name() + " grpc", spec.ports().grpc());
        }
        ports.forEach((what, port) -> {
            if (port != 0 && !Ports.isFree(port)) {
                problems.add("port " + port + " (" + what + ") on 127.0.0.1 is already in use");
            }
        });
        if (!problems.isEmpty()) {
            throw new DevstackException("cannot start the local cloud:" + System.lineSeparator()
                    + String.join(System.lineSeparator(), problems).indent(2).stripTrailing());
        }
    }

    private ManagedProcess launch(StackPlan.ServiceSpec spec) {
        synchronized (this) {
            checkNotClosing();
            ManagedProcess p = ManagedProcess.launch(spec, options);
            processes.put(spec.name(), p);
            states.put(spec.name(), "starting");
            return p;
        }
    }

    /**
     * Waits for a group booting in parallel; fails fast when one exits (see {@link Readiness}).
     * A process that could not bind its ports is started again: on fresh ports if
     * {@code mayMove} and its ports were requested as 0, otherwise on the same ports.
     */
    private void awaitReady(List<ManagedProcess> group, boolean mayMove) {
        long start = System.nanoTime();
        Readiness.await(group, options.readyTimeout(), this::checkNotClosing, p -> {
            states.put(p.name(), "ready");
            progress("%s ready (http %d, grpc %d, pid %d) (%s)", p.name(), p.httpPort(), p.grpcPort(), p.pid(),
                    since(start));
            writeState();
        }, p -> relaunch(p, mayMove));
    }

    /**
     * Stops {@code failed}, which could not bind a port, and starts it again: on fresh ports
     * when {@code mayMove} and they were requested as 0 (nothing else knows them yet), else on
     * the same ports after a pause (a restart: others dial these ports). Fixed ports at boot
     * (./virga up) are not retried: something else holds them.
     */
    private ManagedProcess relaunch(ManagedProcess failed, boolean mayMove) {
        failed.stop(STOP_GRACE);
        StackPorts.ServicePorts requested = options.ports().of(failed.name());
        boolean move = mayMove && requested.auto();
        if ((mayMove && !move) || System.nanoTime() > bindRetryUntil) {
            throw new DevstackException(LogTail.describe(failed.name() + " could not bind its ports (http "
                    + failed.httpPort() + ", grpc " + failed.grpcPort() + ") on 127.0.0.1", failed.logFile()));
        }
        StackPlan.ServiceSpec spec = failed.spec();
        if (move) {
            ports = ports.with(failed.name(), allocated(requested));
            spec = new StackPlan(options, ports).services().stream()
                    .filter(s -> s.name().equals(failed.name())).findFirst().orElseThrow();
        } else {
            sleep(1000);
        }
        progress("%s could not bind http %d / grpc %d; starting it again on http %d / grpc %d", failed.name(),
                failed.httpPort(), failed.grpcPort(), spec.ports().http(), spec.ports().grpc());
        ManagedProcess p = launch(spec);
        writeState();
        return p;
    }

    /** {@code http://127.0.0.1:<api-gateway http port>}. */
    public String gatewayUrl() {
        return "http://" + Ports.LOOPBACK + ":" + ports.of(StackPlan.GATEWAY).http();
    }

    /** The ports in use (every 0 of the options replaced by the port allocated for it). */
    public StackPorts ports() {
        return ports;
    }

    /**
     * The bootstrap admin token api-gateway wrote to {@code <home>/admin-token}; waits up
     * to 3 minutes for the file.
     */
    public String adminToken() {
        Path file = options.home().resolve("admin-token");
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (Files.isRegularFile(file)) {
                    String token = Files.readString(file).strip();
                    if (!token.isEmpty()) {
                        return token;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            sleep(200);
        }
        throw new DevstackException(LogTail.describe("api-gateway did not write " + file + " within 3 minutes",
                process(StackPlan.GATEWAY).logFile()));
    }

    /** A service process by name ({@code host-1}, {@code api-gateway}, …). */
    public ManagedProcess process(String name) {
        ManagedProcess p = processes.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no service " + name + "; known: " + processes.keySet());
        }
        return p;
    }

    /** Every service process, in start order. */
    public List<ManagedProcess> processes() {
        synchronized (processes) {
            return List.copyOf(processes.values());
        }
    }

    /**
     * Stops service {@code name} if it still runs (e.g. after a failure test killed it)
     * and starts it again with the same ports and properties, appending to its log.
     * Returns once it is ready. If the ports cannot be bound at once (e.g. still held by
     * the old process's last connections), it tries again for up to 2 minutes.
     */
    public ManagedProcess restart(String name) {
        ManagedProcess old = process(name);
        old.stop(STOP_GRACE);
        bindRetryUntil = System.nanoTime() + BIND_RETRY_BUDGET.toNanos();
        ManagedProcess p = launch(old.spec());
        writeState();
        awaitReady(List.of(p), false);
        return process(name);
    }

    /** JDBC URL of database {@code db} on this cloud's PostgreSQL. */
    public String jdbcUrl(String db) {
        return postgres.jdbcUrl(db);
    }

    /** {@code 127.0.0.1:<port>} of this cloud's Kafka. */
    public String kafkaBootstrap() {
        return kafka.bootstrapServers();
    }

    public SupervisorOptions options() {
        return options;
    }

    /** Blocks until {@link #close()} has finished (for the foreground {@code up}). */
    public void awaitClosed() throws InterruptedException {
        closed.await();
    }

    /**
     * Stops everything in reverse start order and deletes state.json. Idempotent; a
     * concurrent caller waits for the first one to finish.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closing) {
                awaitClosedUninterruptibly();
                return;
            }
            closing = true;
        }
        status = StateFile.Status.STOPPING;
        long start = System.nanoTime();
        progress("stopping");
        watcher.shutdownNow();
        crashRestarts.close();
        DevstackException failure = new DevstackException("stopping the local cloud failed");
        try {
            writeState();
        } catch (UncheckedIOException e) {
            failure.addSuppressed(e);
        }
        List<List<StackPlan.ServiceSpec>> groups = new ArrayList<>(plan.groups());
        Collections.reverse(groups);
        for (List<StackPlan.ServiceSpec> group : groups) {
            List<ManagedProcess> running = group.stream().map(s -> processes.get(s.name()))
                    .filter(p -> p != null && p.isAlive()).toList();
            running.forEach(ManagedProcess::requestStop);
            for (ManagedProcess p : running) {
                attempt(failure, () -> p.stop(STOP_GRACE));
                states.put(p.name(), "stopped");
            }
        }
        if (kafka != null) {
            attempt(failure, kafka::stop);
        }
        if (postgres != null) {
            attempt(failure, postgres::stop);
        }
        attempt(failure, this::deleteState);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: we are (or run beside) that hook
        }
        progress("stopped (%s)", since(start));
        closed.countDown();
        if (failure.getSuppressed().length > 0) {
            throw failure;
        }
    }

    private static void attempt(DevstackException failure, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private void awaitClosedUninterruptibly() {
        boolean interrupted = false;
        while (closed.getCount() > 0) {
            try {
                closed.await();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Notes processes that ended on their own (e.g. killed by a failure test) and, with
     * {@link SupervisorOptions#restartCrashed}, starts them again after a backoff.
     */
    private void watch() {
        boolean changed = false;
        for (ManagedProcess p : processes()) {
            if (!p.isAlive()) {
                changed |= ended(p.name(), "exited (code " + p.exitValue() + ")", p.logFile());
            }
        }
        if (!postgres.isRunning()) {
            changed |= ended("postgres", "exited", postgres.logFile());
        }
        if (!kafka.isRunning()) {
            changed |= ended("kafka", "exited", kafka.logFile());
        }
        if (changed) {
            writeState();
        }
    }

    private boolean ended(String name, String state, Path log) {
        boolean changed = noteExit(name, state, log);
        if (options.restartCrashed() && !"stopped".equals(states.get(name))) {
            crashRestarts.crashed(name);
        }
        return changed;
    }

    /**
     * Starts {@code name} (a service, {@code postgres} or {@code kafka}) again on its ports, stopping it
     * first if it still runs; returns when ready. Used by crash restarts and by chaos tests.
     */
    public void restartAny(String name) {
        checkNotClosing();
        long t = System.nanoTime();
        switch (name) {
            case "postgres" -> {
                PostgresServer old = postgres;
                quietly(old::stop);
                postgres = PostgresServer.builder(options.home().resolve("pg")).port(old.port())
                        .logFile(old.logFile()).durable(options.durable()).start();
            }
            case "kafka" -> {
                KafkaBroker old = kafka;
                quietly(old::stop);
                KafkaBroker started = KafkaBroker.builder(options.home().resolve("kafka")).port(old.port())
                        .controllerPort(old.controllerPort()).logFile(old.logFile()).start();
                kafka = started;
                started.awaitReady(options.readyTimeout());
            }
            default -> {
                restart(name);
                progress("%s started again (%s)", name, since(t));
                return;
            }
        }
        states.put(name, "ready");
        progress("%s started again (%s)", name, since(t));
        writeState();
    }

    private static void quietly(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException ignored) {
            // it is gone already
        }
    }

    private boolean noteExit(String name, String state, Path log) {
        String before = states.get(name);
        if (state.equals(before) || "stopped".equals(before)) {
            return false;
        }
        states.put(name, state);
        progress("%s %s; log %s", name, state, log);
        return true;
    }

    private synchronized void checkNotClosing() {
        if (closing) {
            throw new DevstackException("the local cloud is being stopped");
        }
    }

    private synchronized void writeState() {
        if (!stateDeleted) {
            stateFile.write(SupervisorState.of(this));
        }
    }

    private synchronized void deleteState() {
        stateDeleted = true;
        stateFile.delete();
    }

    StateFile.Status status() {
        return status;
    }

    PostgresServer postgres() {
        return postgres;
    }

    KafkaBroker kafka() {
        return kafka;
    }

    String state(String name) {
        return states.getOrDefault(name, "starting");
    }

    private void progress(String format, Object... args) {
        options.progress().accept(String.format(format, args));
    }

    private static String since(long startNanos) {
        return String.format("%.1f s", (System.nanoTime() - startNanos) / 1e9);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevstackException("interrupted");
        }
    }
}
