package io.virga.hypervisor.sim;

import io.virga.hypervisor.GuestSpec;
import io.virga.hypervisor.HostCapacity;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The sim's resource accounting: every known guest holds its vCPUs, RAM and disk. */
final class SimCapacity {
    private SimCapacity() {
    }

    /**
     * What is short on {@code host} for a guest needing these resources while {@code held}
     * guests exist, as readable sentences ("host-1 has 2048 MB RAM free, guest needs 4096 MB");
     * empty when the guest fits.
     */
    static List<String> shortfalls(String host, HostCapacity cap, Collection<GuestSpec> held,
                                   int vcpus, long ramMb, long diskGb) {
        long usedVcpus = 0;
        long usedRam = 0;
        long usedDisk = 0;
        for (GuestSpec g : held) {
            usedVcpus += g.vcpus();
            usedRam += g.ramMb();
            usedDisk += g.diskGb();
        }
        List<String> result = new ArrayList<>();
        long freeRam = Math.max(0, cap.ramMb() - usedRam);
        if (ramMb > freeRam || usedRam > cap.ramMb()) {
            result.add(host + " has " + freeRam + " MB RAM free, guest needs " + ramMb + " MB");
        }
        long freeVcpus = Math.max(0, cap.vcpus() - usedVcpus);
        if (vcpus > freeVcpus || usedVcpus > cap.vcpus()) {
            result.add(host + " has " + freeVcpus + " vCPUs free, guest needs " + vcpus);
        }
        long freeDisk = Math.max(0, cap.diskGb() - usedDisk);
        if (diskGb > freeDisk || usedDisk > cap.diskGb()) {
            result.add(host + " has " + freeDisk + " GB disk free, guest needs " + diskGb + " GB");
        }
        return result;
    }
}
