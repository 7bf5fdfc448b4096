package io.virga.devstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How to run a local Virga cloud (see {@link Supervisor}).
 *
 * @param home              state directory ({@code .virga}): {@code pg/}, {@code kafka/},
 *                          {@code logs/}, {@code storage/}, {@code compute/}, {@code state.json},
 *                          {@code admin-token}
 * @param repoRoot          checkout root; services run from {@code <module>/target/quarkus-app/quarkus-run.jar}
 *                          with this as working directory
 * @param ports             every port (see {@link StackPorts#defaults}); a port 0 is allocated when
 *                          its process starts and re-allocated if the bind fails ({@link StackPorts#auto})
 * @param computeNodes      number of simulated compute nodes ({@code host-1} …)
 * @param extraProperties   system properties added to (or overriding) the defaults, keyed by
 *                          service name ({@code host-2}), module name ({@code compute-node}:
 *                          every node) or {@code *} (every service); more specific keys win
 * @param jvmFlags          flags of every service JVM
 * @param heartbeatInterval {@code virga.compute.heartbeat-interval} of the compute nodes
 * @param readyTimeout      how long each service may take to answer {@code /q/health/ready}
 * @param progress          receives one line per milestone (default: ignored)
 * @param durable           PostgreSQL with fsync (default); {@code false} for tests: faster, and
 *                          data is lost only if the machine crashes
 * @param restartCrashed    start again, with a backoff, a child (service, PostgreSQL, Kafka) that ends
 *                          without being asked to ({@code ./virga up}); off by default, so failure tests
 *                          decide themselves when a killed process comes back
 */
public record SupervisorOptions(Path home, Path repoRoot, StackPorts ports, int computeNodes,
                                Map<String, Map<String, String>> extraProperties, List<String> jvmFlags,
                                Duration heartbeatInterval, Duration readyTimeout, Consumer<String> progress,
                                boolean durable, boolean restartCrashed) {

    public static final List<String> DEFAULT_JVM_FLAGS =
            List.of("-Xmx160m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k");

    public SupervisorOptions {
        home = home.toAbsolutePath().normalize();
        repoRoot = repoRoot.toAbsolutePath().normalize();
        Objects.requireNonNull(ports);
        if (computeNodes < 0) {
            throw new IllegalArgumentException("computeNodes must be >= 0: " + computeNodes);
        }
        for (int n = 1; n <= computeNodes; n++) {
            ports.of(StackPlan.hostName(n)); // fails early when a node has no ports
        }
        Map<String, Map<String, String>> extra = new LinkedHashMap<>();
        extraProperties.forEach((k, v) -> extra.put(k, Map.copyOf(v)));
        extraProperties = Map.copyOf(extra);
        jvmFlags = List.copyOf(jvmFlags);
        Objects.requireNonNull(heartbeatInterval);
        Objects.requireNonNull(readyTimeout);
        Objects.requireNonNull(progress);
    }

    /** Defaults of {@code ./virga up}: fixed ports, 3 nodes, home {@code <repoRoot>/.virga}. */
    public static Builder builder(Path repoRoot) {
        return new Builder(repoRoot);
    }

    /**
     * The nearest directory at or above {@code start} that holds {@code devstack/pom.xml}
     * (for tests, whose working directory is their module).
     */
    public static Path findRepoRoot(Path start) {
        for (Path p = start.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("devstack").resolve("pom.xml"))) {
                return p;
            }
        }
        throw new DevstackException("no Virga checkout (a directory with devstack/pom.xml) at or above " + start);
    }

    /** Builder; every setter is optional. */
    public static final class Builder {
        private final Path repoRoot;
        private Path home;
        private StackPorts ports;
        private boolean freePorts;
        private int computeNodes = 3;
        private final Map<String, Map<String, String>> extra = new LinkedHashMap<>();
        private List<String> jvmFlags = DEFAULT_JVM_FLAGS;
        private Duration heartbeatInterval = Duration.ofSeconds(5);
        private Duration readyTimeout = Duration.ofSeconds(120);
        private Consumer<String> progress = line -> { };
        private boolean durable = true;
        private boolean restartCrashed;
        private int schedulerReplicas = 1;

        private Builder(Path repoRoot) {
            this.repoRoot = repoRoot;
        }

        public Builder home(Path home) {
            this.home = home;
            return this;
        }

        /** Explicit ports; by default {@link StackPorts#defaults}. */
        public Builder ports(StackPorts ports) {
            this.ports = ports;
            return this;
        }

        /**
         * Use {@link StackPorts#auto}: every port allocated outside the ephemeral range as its
         * process starts, fresh ones when a bind fails (for tests beside other stacks).
         */
        public Builder freePorts() {
            this.freePorts = true;
            return this;
        }

        public Builder computeNodes(int computeNodes) {
            this.computeNodes = computeNodes;
            return this;
        }

        /** Adds system property {@code key=value} for {@code target} (service name, module name or {@code *}). */
        public Builder property(String target, String key, String value) {
            extra.computeIfAbsent(target, t -> new LinkedHashMap<>()).put(key, value);
            return this;
        }

        public Builder jvmFlags(List<String> jvmFlags) {
            this.jvmFlags = jvmFlags;
            return this;
        }

        public Builder heartbeatInterval(Duration interval) {
            this.heartbeatInterval = interval;
            return this;
        }

        public Builder readyTimeout(Duration timeout) {
            this.readyTimeout = timeout;
            return this;
        }

        public Builder progress(Consumer<String> progress) {
            this.progress = progress;
            return this;
        }

        /**
         * Scheduler processes on the one scheduler database (default 1): replicas 2… are named
         * {@code scheduler-svc-2}…; api-gateway calls the first.
         */
        public Builder schedulerReplicas(int replicas) {
            if (replicas < 1 || replicas > StackPorts.MAX_SCHEDULERS) {
                throw new IllegalArgumentException("scheduler replicas must be 1.." + StackPorts.MAX_SCHEDULERS);
            }
            this.schedulerReplicas = replicas;
            return this;
        }

        /** {@code false}: PostgreSQL without fsync (for tests). Default {@code true}. */
        public Builder durable(boolean durable) {
            this.durable = durable;
            return this;
        }

        public Builder restartCrashed(boolean restartCrashed) {
            this.restartCrashed = restartCrashed;
            return this;
        }

        public SupervisorOptions build() {
            StackPorts p = ports != null ? ports
                    : freePorts ? StackPorts.auto(computeNodes) : StackPorts.defaults(computeNodes);
            for (int r = 2; r <= schedulerReplicas; r++) {
                p = p.withSchedulerReplica(r, freePorts);
            }
            Path h = home != null ? home : repoRoot.resolve(".virga");
            return new SupervisorOptions(h, repoRoot, p, computeNodes, extra, jvmFlags,
                    heartbeatInterval, readyTimeout, progress, durable, restartCrashed);
        }
    }
}
