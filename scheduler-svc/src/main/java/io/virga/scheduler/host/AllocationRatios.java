package io.virga.scheduler.host;

/**
 * Overcommit factors: a host with {@code total} of a resource may hand out
 * {@code floor(total * ratio)} of it. The same arithmetic (IEEE double
 * multiplication, then floor) is used by the filters in Java and by the
 * claim's compare-and-set in SQL, so both agree on every host.
 */
public record AllocationRatios(double cpu, double ram, double disk) {
    public AllocationRatios {
        check("cpu", cpu);
        check("ram", ram);
        check("disk", disk);
    }

    private static void check(String what, double ratio) {
        if (!(ratio > 0) || Double.isInfinite(ratio)) {
            throw new IllegalArgumentException(what + " allocation ratio must be a positive number: " + ratio);
        }
    }

    public long vcpuCapacity(HostState host) {
        return (long) Math.floor(host.total().vcpus() * cpu);
    }

    public long ramCapacityMb(HostState host) {
        return (long) Math.floor(host.total().ramMb() * ram);
    }

    public long diskCapacityGb(HostState host) {
        return (long) Math.floor(host.total().diskGb() * disk);
    }

    /** Free vCPUs after overcommit; negative when totals dropped below usage. */
    public long freeVcpus(HostState host) {
        return vcpuCapacity(host) - host.used().vcpus();
    }

    public long freeRamMb(HostState host) {
        return ramCapacityMb(host) - host.used().ramMb();
    }

    public long freeDiskGb(HostState host) {
        return diskCapacityGb(host) - host.used().diskGb();
    }
}
