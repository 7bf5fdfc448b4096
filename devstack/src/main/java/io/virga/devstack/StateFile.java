package io.virga.devstack;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code <home>/state.json}: what a running supervisor has started, for {@code virga
 * status}/{@code down} and for the {@code virga} script, which waits for
 * {@code "status" : "running"}. Written atomically (temp file + rename).
 */
public final class StateFile {

    public static final String FILE_NAME = "state.json";

    /** Supervisor status, written in lower case. */
    public enum Status {
        @JsonProperty("starting") STARTING,
        @JsonProperty("running") RUNNING,
        @JsonProperty("stopping") STOPPING
    }

    /**
     * The whole file.
     *
     * @param supervisorPid pid of the supervisor JVM
     * @param status        overall status
     * @param gatewayUrl    {@code http://127.0.0.1:<port>}
     * @param adminTokenFile where api-gateway writes the bootstrap admin token
     * @param processes     PostgreSQL, Kafka and every service, in start order
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record State(long supervisorPid, String supervisorStartedAt, Status status, String gatewayUrl,
                        String adminTokenFile, List<Entry> processes) {
    }

    /**
     * One process.
     *
     * @param state     {@code starting}, {@code ready}, {@code exited (code N)}, {@code stopped}
     * @param startedAt process start instant (ISO-8601), to tell a reused pid from ours
     * @param ports     name to port, e.g. {@code http}, {@code grpc}, {@code tcp}
     * @param health    readiness URL, absent for PostgreSQL and Kafka
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(String name, long pid, String startedAt, String state, Map<String, Integer> ports,
                        String log, String health) {
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path file;

    public StateFile(Path home) {
        this.file = home.resolve(FILE_NAME);
    }

    public Path path() {
        return file;
    }

    public void write(State state) {
        try {
            Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
            Files.createDirectories(file.getParent());
            JSON.writeValue(tmp.toFile(), state);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The state, or empty when there is no file. */
    public Optional<State> read() {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), State.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file, e);
        }
    }

    /**
     * The live process of an entry: same pid and same start instant (so a pid reused by
     * an unrelated process after a reboot is never mistaken for ours).
     */
    public static Optional<ProcessHandle> live(long pid, String startedAt) {
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(h -> startedAt == null || h.info().startInstant()
                        .map(i -> i.toString().equals(startedAt)).orElse(false));
    }
}
