package io.virga.hypervisor.sim;

import io.virga.hypervisor.GuestSpec;
import io.virga.hypervisor.HostCapacity;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The sim's resource accounting: every known guest holds its RAM and disk; vCPUs are
 * time-shared (their total may exceed the host's), but no guest may have more than the host.
 */
final class SimCapacity {
    private SimCapacity() {
    }

    /**
     * What is short on {@code host} for a guest needing these resources while {@code held}
     * guests exist, as readable sentences ("host-1 has 2048 MB RAM free, guest needs 4096 MB",
     * "host-1 has 4 vCPUs, guest needs 8"); empty when the guest fits.
     */
    static List<String> shortfalls(String host, HostCapacity cap, Collection<GuestSpec> held,
                                   int vcpus, long ramMb, long diskGb) {
        long usedRam = 0;
        long usedDisk = 0;
        for (GuestSpec g : held) {
            usedRam += g.ramMb();
            usedDisk += g.diskGb();
        }
        List<String> result = new ArrayList<>();
        long freeRam = Math.max(0, cap.ramMb() - usedRam);
        if (ramMb > freeRam || usedRam > cap.ramMb()) {
            result.add(host + " has " + freeRam + " MB RAM free, guest needs " + ramMb + " MB");
        }
        if (vcpus > cap.vcpus()) {
            result.add(host + " has " + cap.vcpus() + " vCPUs, guest needs " + vcpus);
        }
        long freeDisk = Math.max(0, cap.diskGb() - usedDisk);
        if (diskGb > freeDisk || usedDisk > cap.diskGb()) {
            result.add(host + " has " + freeDisk + " GB disk free, guest needs " + diskGb + " GB");
        }
        return result;
    }

    /** How {@code held} guests exceed {@code cap} (after a capacity setting was lowered), or empty. */
    static Optional<String> overcommitment(HostCapacity cap, Collection<GuestSpec> held) {
        long ram = held.stream().mapToLong(GuestSpec::ramMb).sum();
        long disk = held.stream().mapToLong(GuestSpec::diskGb).sum();
        if (ram <= cap.ramMb() && disk <= cap.diskGb()) {
            return Optional.empty();
        }
        return Optional.of("hold " + ram + " MB RAM and " + disk + " GB disk, more than the configured "
                + cap.ramMb() + " MB and " + cap.diskGb() + " GB");
    }
}
