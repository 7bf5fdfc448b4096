package io.virga.compute.network;

import io.virga.hypervisor.AttachmentType;
import io.virga.hypervisor.HostAttachment;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * The {@code sim} data plane for scale tests: keeps networks and filters in
 * memory with the same contract as {@link LinuxDataPlane} (it even renders
 * the nftables script, so a filter the real one would refuse is refused
 * here too), but touches nothing on the host.
 */
public final class SimDataPlane implements DataPlane {
    private final Set<Integer> networks = new ConcurrentSkipListSet<>();
    private volatile List<PortFilter> applied = List.of();
    private volatile String lastScript = "";

    @Override
    public void ensureNetwork(int vni) {
        networks.add(vni);
    }

    @Override
    public HostAttachment attachment(AttachmentType type, int vni, String portId) {
        return new HostAttachment(AttachmentType.NONE, null, null, 0, null);
    }

    @Override
    public synchronized void applyFilters(List<PortFilter> ports) {
        lastScript = NftRuleset.render(ports);
        applied = List.copyOf(ports);
    }

    @Override
    public synchronized Set<Integer> reconcile(Set<Integer> keepVnis) {
        Set<Integer> removed = new TreeSet<>(networks);
        removed.removeAll(keepVnis);
        networks.removeAll(removed);
        return removed;
    }

    @Override
    public Set<Integer> networks() {
        return new TreeSet<>(networks);
    }

    @Override
    public List<PortFilter> filters() {
        return applied;
    }

    /** The script the linux plane would have run last. */
    public String lastScript() {
        return lastScript;
    }
}
