package io.virga.hypervisor;

/**
 * What a host offers to guests, in whole units.
 *
 * @param vcpus  CPUs (threads) the host gives guests, at least 1; guests' vCPUs may add up to more
 *               (see {@link Hypervisor} on overcommit), but no guest may have more
 * @param ramMb  memory in MiB, at least 1
 * @param diskGb local disk in GiB, at least 0
 */
public record HostCapacity(int vcpus, long ramMb, long diskGb) {
    public HostCapacity {
        if (vcpus < 1) {
            throw new IllegalArgumentException("vcpus must be at least 1, got " + vcpus);
        }
        if (ramMb < 1) {
            throw new IllegalArgumentException("ramMb must be at least 1, got " + ramMb);
        }
        if (diskGb < 0) {
            throw new IllegalArgumentException("diskGb must not be negative, got " + diskGb);
        }
    }
}
