package io.virga.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One service JVM run by the {@link Supervisor}:
 * {@code java <jvm flags> -D… -jar <module>/target/quarkus-app/quarkus-run.jar}, working
 * directory the repo root, stdout and stderr to {@code <home>/logs/<name>.log}. It gets
 * SIGTERM when the supervisor's JVM dies.
 */
public final class ManagedProcess {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final StackPlan.ServiceSpec spec;
    private final Path logFile;
    private final Process process;
    private final long logOffset;
    private final Instant startedAt;

    private ManagedProcess(StackPlan.ServiceSpec spec, Path logFile, long logOffset, Process process) {
        this.spec = spec;
        this.logFile = logFile;
        this.logOffset = logOffset;
        this.process = process;
        this.startedAt = process.toHandle().info().startInstant().orElse(Instant.now());
    }

    /**
     * Launches the service; does not wait for it to be ready.
     *
     * <p>The log {@code <home>/logs/<name>.log} is appended to, with a line marking the start (rotated to
     * {@code .1} when large): the evidence of an earlier crash stays.
     *
     * @throws DevstackException if the jar is missing or the JVM cannot be started
     */
    static ManagedProcess launch(StackPlan.ServiceSpec spec, SupervisorOptions options) {
        Path jar = spec.jar(options.repoRoot());
        if (!Files.isRegularFile(jar)) {
            throw new DevstackException(spec.name() + ": " + jar + " does not exist; build first (mvn -DskipTests install)");
        }
        Path log = options.home().resolve("logs").resolve(spec.name() + ".log");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(options.jvmFlags());
        for (Map.Entry<String, String> p : spec.properties().entrySet()) {
            cmd.add("-D" + p.getKey() + "=" + p.getValue());
        }
        cmd.add("-jar");
        cmd.add(jar.toString());
        try {
            Files.createDirectories(log.getParent());
            LogFiles.rotateIfLarge(log);
            LogFiles.append(log, "==== " + spec.name() + " starting at " + java.time.Instant.now() + " ====");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long logOffset = BindFailure.offsetOf(log);
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(options.repoRoot().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return new ManagedProcess(spec, log, logOffset, ChildProcesses.start(pb, "TERM"));
    }

    public String name() {
        return spec.name();
    }

    public StackPlan.ServiceSpec spec() {
        return spec;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public int httpPort() {
        return spec.ports().http();
    }

    public int grpcPort() {
        return spec.ports().grpc();
    }

    public Path logFile() {
        return logFile;
    }

    public String healthUrl() {
        return spec.healthUrl();
    }

    public Instant startedAt() {
        return startedAt;
    }

    /** True when this run's part of the log reports that a listening port could not be bound. */
    boolean reportsBindFailure() {
        return BindFailure.inLog(logFile, logOffset);
    }

    /** Exit code once the process has ended. */
    public int exitValue() {
        return process.exitValue();
    }

    /** SIGKILL, no chance to clean up: for failure tests. Returns once the process is gone. */
    public void kill() {
        process.destroyForcibly();
        process.toHandle().onExit().join();
    }

    /** SIGTERM, then SIGKILL after {@code grace}. Idempotent. */
    public void stop(Duration grace) {
        ChildProcesses.destroyTree(process.toHandle(), grace);
    }

    /** Sends SIGTERM without waiting (to stop several processes in parallel). */
    void requestStop() {
        process.destroy();
    }

    /**
     * One GET of the readiness URL.
     *
     * @return the HTTP status, or {@code -1} when nothing answered within 2 s
     */
    public int probeReady() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(healthUrl()))
                .timeout(Duration.ofSeconds(2)).GET().build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevstackException("interrupted while probing " + healthUrl(), e);
        }
    }

    @Override
    public String toString() {
        return name() + "[pid " + pid() + ", http " + httpPort() + ", grpc " + grpcPort() + "]";
    }
}
