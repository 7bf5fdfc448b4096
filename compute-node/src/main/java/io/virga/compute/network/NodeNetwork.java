package io.virga.compute.network;

import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.virga.compute.config.ComputeConfig;
import io.virga.compute.config.NodeSettings;
import io.virga.compute.guest.GuestManager;
import io.virga.compute.guest.GuestView;
import io.virga.contracts.network.v1.NetworkServiceGrpc.NetworkServiceBlockingStub;
import io.virga.contracts.network.v1.PortSecurity;
import io.virga.contracts.network.v1.ResolvePortSecurityRequest;
import io.virga.contracts.network.v1.ResolveRoutersRequest;
import io.virga.contracts.network.v1.RouterLeg;
import io.virga.contracts.network.v1.ResolvedRule;
import io.virga.hypervisor.AttachmentType;
import io.virga.hypervisor.GuestSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The node's side of virtual networking: plugs each spawned guest's NICs into
 * its network's bridge ({@link #plug}), forgets them when the guest goes
 * ({@link #unplug}), and keeps the security-group filter of the node's ports
 * equal to what network-svc resolves for them ({@link #sync}, every
 * {@code virga.network.sync-interval} and after every plug / unplug).
 *
 * <p>At start it reconciles: ports of guests the driver no longer has are
 * forgotten, networks no remaining port needs are removed, and the filter is
 * rewritten whole (no stale rule, no missing one). With backend {@code none}
 * everything here is a no-op. A router node ({@code virga.network.routers})
 * also keeps its router namespaces equal to network-svc's routers
 * ({@link #syncRouters}, same interval), converging what a previous run left.
 */
@ApplicationScoped
public class NodeNetwork {
    private static final Logger LOG = Logger.getLogger(NodeNetwork.class);

    private final NetworkConfig config;
    private final ComputeConfig compute;
    private final NetworkServiceBlockingStub network;
    private final GuestManager guests;
    private final DataPlane plane;
    private final LocalPorts ports;
    private final LinuxRouters routers;
    /** The router plans applied last (null before the first apply of this process). */
    private List<RouterPlan> appliedRouters;
    private ScheduledExecutorService timer;
    /** False until the first apply of this process (which replaces whatever an earlier run left). */
    private boolean appliedOnce;

    public NodeNetwork(NetworkConfig config, ComputeConfig compute,
            @GrpcClient("network") NetworkServiceBlockingStub network, GuestManager guests) {
        this.config = config;
        this.compute = compute;
        this.network = network;
        this.guests = guests;
        this.plane = switch (config.backend()) {
            case "none" -> null;
            case "sim" -> new SimDataPlane();
            case "linux" -> new LinuxDataPlane(config.namespace().orElse(null), config.underlayIp().orElse(null),
                    config.peers().orElse(List.of()));
            default -> throw new IllegalArgumentException("virga.network.backend must be none, sim or linux, got "
                    + config.backend());
        };
        this.ports = plane == null ? null
                : new LocalPorts(NodeSettings.stateDir(compute).resolve("network").resolve("ports"));
        if (config.routers() && !(plane instanceof LinuxDataPlane)) {
            throw new IllegalArgumentException("virga.network.routers=true needs virga.network.backend=linux");
        }
        this.routers = config.routers()
                ? new LinuxRouters(plane, config.namespace().orElse(null), LinuxRouters.DEFAULT_PREFIX) : null;
    }

    /**
     * On a router node: applies network-svc's routers (ResolveRouters) when
     * they differ from what this process applied last; answers whether it applied.
     *
     * @throws StatusRuntimeException when network-svc cannot answer (the routers stay as they are)
     */
    public synchronized boolean syncRouters() {
        if (routers == null) {
            return false;
        }
        List<RouterPlan> wanted = network.withDeadlineAfter(5, TimeUnit.SECONDS)
                .resolveRouters(ResolveRoutersRequest.getDefaultInstance()).getRoutersList().stream()
                .map(r -> new RouterPlan(r.getRouterId(), leg(r.getGateway()), r.getExternalGateway(),
                        r.getInterfacesList().stream().map(NodeNetwork::leg).toList(),
                        r.getFloatingIpsList().stream().map(n -> new RouterPlan.Nat(n.getFloatingIp(),
                                n.getFixedIp())).toList()))
                .toList();
        if (wanted.equals(appliedRouters)) {
            return false;
        }
        long start = System.nanoTime();
        appliedRouters = null;
        routers.apply(wanted);
        appliedRouters = wanted;
        LOG.infof("routers applied: %d in %d ms", wanted.size(), (System.nanoTime() - start) / 1_000_000);
        return true;
    }

    private static RouterPlan.Leg leg(RouterLeg l) {
        return new RouterPlan.Leg(l.getVni(), l.getAddress());
    }

    /** The data plane, or null with backend none. */
    public DataPlane plane() {
        return plane;
    }

    /**
     * The spec with every NIC that has a VXLAN id and no host attachment
     * plugged into its network's bridge (made if missing): a tap for a VM, a
     * veth for a container. Unchanged with backend none.
     */
    public GuestSpec plug(GuestSpec spec) {
        if (plane == null || spec.interfaces().isEmpty()) {
            return spec;
        }
        AttachmentType type = "runc".equals(compute.driver()) ? AttachmentType.VETH : AttachmentType.TAP;
        List<GuestSpec.NetworkInterface> nics = new ArrayList<>();
        for (GuestSpec.NetworkInterface nic : spec.interfaces()) {
            if (nic.vni() > 0 && (nic.attachment() == null || nic.attachment().type() == AttachmentType.NONE)) {
                plane.ensureNetwork(nic.vni());
                var a = plane.attachment(type, nic.vni(), nic.portId());
                ports.put(new LocalPorts.Entry(spec.instanceId(), nic.portId(), nic.vni(),
                        a.deviceName() == null ? Names.portDevice(nic.portId()) : a.deviceName()));
                nics.add(new GuestSpec.NetworkInterface(nic.portId(), nic.mac(), nic.ip(), nic.vni(), a,
                        nic.prefixLength(), nic.gateway()));
            } else {
                nics.add(nic);
            }
        }
        syncQuietly();
        return new GuestSpec(spec.instanceId(), spec.name(), spec.vcpus(), spec.ramMb(), spec.diskGb(), spec.kind(),
                spec.virtMode(), nics, spec.disks(), spec.userData(), spec.boot(), spec.container());
    }

    /** Forgets the instance's ports and drops their filters (the driver removed their devices). */
    public void unplug(String instanceId) {
        if (plane != null && !ports.removeInstance(instanceId).isEmpty()) {
            syncQuietly();
        }
    }

    /**
     * Applies what network-svc resolves for the node's ports when it differs
     * from what is applied; answers whether it applied.
     *
     * @throws StatusRuntimeException when network-svc cannot answer (the applied filter stays)
     */
    public synchronized boolean sync() {
        if (plane == null) {
            return false;
        }
        Collection<LocalPorts.Entry> local = ports.all();
        Map<String, LocalPorts.Entry> byPort = local.stream()
                .collect(Collectors.toMap(LocalPorts.Entry::portId, Function.identity()));
        List<PortFilter> wanted = new ArrayList<>();
        if (!local.isEmpty()) {
            for (PortSecurity p : network.withDeadlineAfter(5, TimeUnit.SECONDS).resolvePortSecurity(
                    ResolvePortSecurityRequest.newBuilder().addAllPortIds(byPort.keySet()).build()).getPortsList()) {
                LocalPorts.Entry e = byPort.get(p.getPortId());
                wanted.add(new PortFilter(p.getPortId(), e.vni(), e.device(), p.getMacAddress(), p.getIpAddress(),
                        p.getRulesList().stream().map(NodeNetwork::rule).toList()));
            }
        }
        if (appliedOnce && Set.copyOf(wanted).equals(Set.copyOf(plane.filters()))) {
            return false;
        }
        plane.applyFilters(wanted);
        appliedOnce = true;
        return true;
    }

    private static PortFilter.Rule rule(ResolvedRule r) {
        return new PortFilter.Rule("ingress".equals(r.getDirection()), r.getProtocol(), r.getPortRangeMin(),
                r.getPortRangeMax(), List.copyOf(r.getRemoteCidrsList()));
    }

    private void syncQuietly() {
        try {
            sync();
        } catch (RuntimeException e) {
            LOG.warnf("network filter sync failed (retried every %s): %s", config.syncInterval(), e.getMessage());
        }
        try {
            syncRouters();
        } catch (RuntimeException e) {
            LOG.warnf("router sync failed (retried every %s): %s", config.syncInterval(), e.getMessage());
        }
    }

    void onStart(@Observes StartupEvent event) {
        if (plane == null) {
            return;
        }
        Set<String> alive = guests.list().stream().map(GuestView::instanceId).collect(Collectors.toSet());
        Set<String> gone = new HashSet<>();
        ports.all().stream().filter(e -> !alive.contains(e.instanceId())).forEach(e -> gone.add(e.instanceId()));
        gone.forEach(ports::removeInstance);
        Set<Integer> keep = ports.all().stream().map(LocalPorts.Entry::vni).collect(Collectors.toCollection(
                HashSet::new));
        if (routers != null) {
            keep.addAll(routers.vnis()); // the routers' legs; the first router sync converges them
        }
        keep.forEach(plane::ensureNetwork);
        Set<Integer> removed = plane.reconcile(keep);
        LOG.infof("network data plane %s: %d ports kept, %d guests' ports forgotten, networks removed %s",
                config.backend(), ports.all().size(), gone.size(), removed);
        syncQuietly();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "network-sync");
            t.setDaemon(true);
            return t;
        });
        long every = config.syncInterval().toMillis();
        timer.scheduleWithFixedDelay(this::syncQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
