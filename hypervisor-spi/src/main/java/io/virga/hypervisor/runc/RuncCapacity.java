package io.virga.hypervisor.runc;

import io.virga.hypervisor.GuestSpec;
import io.virga.hypervisor.HostCapacity;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The runc host's accounting (as the SPI prescribes): every known guest, whatever its state, holds its RAM and
 * disk; vCPUs are time-shared (their total may exceed the host's), but no guest may have more than the host.
 */
final class RuncCapacity {
    private RuncCapacity() {
    }

    /** What is short for {@code spec} while {@code held} guests exist, as readable sentences; empty when it fits. */
    static List<String> shortfalls(RuncOptions options, Collection<Guest> held, GuestSpec spec) {
        long usedRam = 0;
        long usedDisk = 0;
        for (Guest g : held) {
            usedRam += g.status().ramMb();
            usedDisk += g.spec().diskGb();
        }
        HostCapacity cap = options.capacity();
        String host = options.hostName();
        List<String> result = new ArrayList<>();
        long freeRam = Math.max(0, cap.ramMb() - usedRam);
        if (spec.ramMb() > freeRam) {
            result.add(host + " has " + freeRam + " MB RAM free, guest needs " + spec.ramMb() + " MB");
        }
        if (spec.vcpus() > cap.vcpus()) {
            result.add(host + " has " + cap.vcpus() + " vCPUs, guest needs " + spec.vcpus());
        }
        long freeDisk = Math.max(0, cap.diskGb() - usedDisk);
        if (spec.diskGb() > freeDisk) {
            result.add(host + " has " + freeDisk + " GB disk free, guest needs " + spec.diskGb() + " GB");
        }
        return result;
    }
}
