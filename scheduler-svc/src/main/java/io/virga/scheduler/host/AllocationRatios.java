package io.virga.scheduler.host;

/**
 * The configured default overcommit factors, given to the inventory rows a
 * host report creates (an admin may pin another ratio per host or
 * aggregate). Placement itself reads the ratio of each inventory row; the
 * {@code free*} helpers here delegate to the host's inventories.
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

    /** The default ratio of a resource class (1.0 for classes other than the standard three). */
    public double of(String resourceClass) {
        return switch (resourceClass) {
            case ResourceClass.VCPU -> cpu;
            case ResourceClass.MEMORY_MB -> ram;
            case ResourceClass.DISK_GB -> disk;
            default -> 1.0;
        };
    }

    /** Free vCPUs after overcommit; negative when totals dropped below usage. */
    public long freeVcpus(HostState host) {
        return host.free(ResourceClass.VCPU);
    }

    public long freeRamMb(HostState host) {
        return host.free(ResourceClass.MEMORY_MB);
    }

    public long freeDiskGb(HostState host) {
        return host.free(ResourceClass.DISK_GB);
    }
}
