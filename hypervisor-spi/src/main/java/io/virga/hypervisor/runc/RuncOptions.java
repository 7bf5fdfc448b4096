package io.virga.hypervisor.runc;

import io.virga.hypervisor.HostCapacity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link RuncHypervisor} runs.
 *
 * @param hostName     the host's name, used in error messages ("host-1 has …")
 * @param capacity     what the host offers to containers (RAM and disk are reserved per guest)
 * @param stateDir     the driver's own directory: one bundle per guest under {@code guests/}, and runc's
 *                     state under {@code runc/} (runc {@code --root}); a new driver on the same directory
 *                     adopts the containers it finds there. Must be absolute.
 * @param runcBinary   the runc executable (a name on the PATH or an absolute path)
 * @param pidsLimit    the most processes one container may have (cgroup pids limit), at least 16
 * @param startTimeout how long spawn/start wait for the container's process to appear
 */
public record RuncOptions(String hostName, HostCapacity capacity, Path stateDir, String runcBinary, long pidsLimit,
                          Duration startTimeout) {
    public RuncOptions {
        if (hostName == null || hostName.isBlank()) {
            throw new IllegalArgumentException("hostName is required");
        }
        Objects.requireNonNull(capacity, "capacity");
        Objects.requireNonNull(stateDir, "stateDir");
        if (!stateDir.isAbsolute()) {
            throw new IllegalArgumentException("stateDir must be absolute, got " + stateDir);
        }
        if (runcBinary == null || runcBinary.isBlank()) {
            throw new IllegalArgumentException("runcBinary is required");
        }
        if (pidsLimit < 16) {
            throw new IllegalArgumentException("pidsLimit must be at least 16, got " + pidsLimit);
        }
        Objects.requireNonNull(startTimeout, "startTimeout");
        if (startTimeout.isNegative() || startTimeout.isZero()) {
            throw new IllegalArgumentException("startTimeout must be positive, got " + startTimeout);
        }
    }

    /** host-1, 8 vCPUs, 16384 MB, 200 GB, runc from the PATH, 1024 pids, 60 s start timeout; stateDir required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link RuncOptions}. */
    public static final class Builder {
        private String hostName = "host-1";
        private HostCapacity capacity = new HostCapacity(8, 16_384, 200);
        private Path stateDir;
        private String runcBinary = "runc";
        private long pidsLimit = 1024;
        private Duration startTimeout = Duration.ofSeconds(60);

        public Builder hostName(String value) {
            this.hostName = value;
            return this;
        }

        public Builder capacity(HostCapacity value) {
            this.capacity = value;
            return this;
        }

        public Builder stateDir(Path value) {
            this.stateDir = value == null ? null : value.toAbsolutePath();
            return this;
        }

        public Builder runcBinary(String value) {
            this.runcBinary = value;
            return this;
        }

        public Builder pidsLimit(long value) {
            this.pidsLimit = value;
            return this;
        }

        public Builder startTimeout(Duration value) {
            this.startTimeout = value;
            return this;
        }

        public RuncOptions build() {
            return new RuncOptions(hostName, capacity, stateDir, runcBinary, pidsLimit, startTimeout);
        }
    }
}
