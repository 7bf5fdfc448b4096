package io.virga.hypervisor.sim;

import io.virga.hypervisor.HostCapacity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How a {@link SimHypervisor} behaves.
 *
 * @param hostName          the host's name, used in error messages ("host-1 has …")
 * @param capacity          what the simulated host offers to guests
 * @param bootLatency       how long spawn, start and reboot take before the guest runs
 * @param failSpawnMatching spawns whose instance <em>name</em> matches this regex (find, not full match)
 *                          fail after the boot latency, leaving nothing behind; {@code null} for none
 * @param failNextSpawns    this many next spawns fail likewise (see also {@link SimHypervisor#failNextSpawns(int)})
 * @param stateDir          directory where guests are kept as JSON files so that a new driver
 *                          on the same directory re-adopts them; {@code null} to keep them in memory only
 */
public record SimOptions(String hostName, HostCapacity capacity, Duration bootLatency, Pattern failSpawnMatching,
                         int failNextSpawns, Path stateDir) {
    public SimOptions {
        if (hostName == null || hostName.isBlank()) {
            throw new IllegalArgumentException("hostName is required");
        }
        Objects.requireNonNull(capacity, "capacity");
        Objects.requireNonNull(bootLatency, "bootLatency");
        if (bootLatency.isNegative()) {
            throw new IllegalArgumentException("bootLatency must not be negative, got " + bootLatency);
        }
        if (failNextSpawns < 0) {
            throw new IllegalArgumentException("failNextSpawns must not be negative, got " + failNextSpawns);
        }
    }

    /** host-1, 8 vCPUs, 16384 MB, 200 GB, no latency, no failures, in memory. */
    public static Builder builder() {
        return new Builder();
    }

    public Optional<Pattern> failPattern() {
        return Optional.ofNullable(failSpawnMatching);
    }

    public Optional<Path> stateDirectory() {
        return Optional.ofNullable(stateDir);
    }

    /** Builds {@link SimOptions}. */
    public static final class Builder {
        private String hostName = "host-1";
        private HostCapacity capacity = new HostCapacity(8, 16_384, 200);
        private Duration bootLatency = Duration.ZERO;
        private Pattern failSpawnMatching;
        private int failNextSpawns;
        private Path stateDir;

        public Builder hostName(String value) {
            this.hostName = value;
            return this;
        }

        public Builder capacity(HostCapacity value) {
            this.capacity = value;
            return this;
        }

        public Builder bootLatency(Duration value) {
            this.bootLatency = value;
            return this;
        }

        /** @throws java.util.regex.PatternSyntaxException when {@code regex} is not a regular expression */
        public Builder failSpawnMatching(String regex) {
            this.failSpawnMatching = regex == null || regex.isEmpty() ? null : Pattern.compile(regex);
            return this;
        }

        public Builder failNextSpawns(int value) {
            this.failNextSpawns = value;
            return this;
        }

        public Builder stateDir(Path value) {
            this.stateDir = value;
            return this;
        }

        public SimOptions build() {
            return new SimOptions(hostName, capacity, bootLatency, failSpawnMatching, failNextSpawns, stateDir);
        }
    }
}
