package io.virga.compute.network;

import io.virga.hypervisor.AttachmentType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Routers realised as network namespaces {@code <prefix><router id>}
 * (prefix {@code vrt-} on a router node): a veth leg into each joined
 * network's bridge ({@link RouterLegs}), IPv4 forwarding, a default route to
 * the external network's gateway and the NAT table ({@link RouterNat}).
 *
 * <p>Contract: {@link #apply} makes the node's router namespaces equal to the
 * plans (idempotent; converges whatever exists, so it is also the reconcile
 * after a restart): missing namespaces, legs and addresses are made, extra
 * legs and addresses removed, the NAT table replaced atomically, and
 * namespaces of routers not in the plans deleted (their veths go with them).
 * A router whose plan did not change since this object applied it is not
 * touched. A failure on one router does not stop the others; it is retried
 * by the next apply and reported as a {@link DataPlaneException}.
 */
public final class LinuxRouters {
    public static final String DEFAULT_PREFIX = "vrt-";

    private final DataPlane plane;
    private final String nodeNamespace;
    private final String prefix;
    private final Commands host = new Commands(null);
    private final Map<String, RouterPlan> applied = new HashMap<>();

    /**
     * @param plane         the node's data plane (bridges of the networks the legs join)
     * @param nodeNamespace the namespace the bridges live in, or null for the host's
     * @param prefix        the router namespaces' prefix ({@value #DEFAULT_PREFIX}; tests use their own)
     */
    public LinuxRouters(DataPlane plane, String nodeNamespace, String prefix) {
        this.plane = plane;
        this.nodeNamespace = nodeNamespace;
        this.prefix = prefix;
    }

    public String namespace(String routerId) {
        return prefix + routerId;
    }

    /** Makes the router namespaces equal to {@code plans} (see the class contract). */
    public synchronized void apply(List<RouterPlan> plans) {
        plans.forEach(RouterPlan::check);
        Set<String> existing = namespaces();
        Set<String> wanted = new HashSet<>();
        List<String> failures = new ArrayList<>();
        for (RouterPlan p : plans) {
            String ns = namespace(p.routerId());
            wanted.add(ns);
            if (existing.contains(ns) && p.equals(applied.get(p.routerId()))) {
                continue;
            }
            try {
                converge(p, ns, existing.contains(ns));
                applied.put(p.routerId(), p);
            } catch (DataPlaneException e) {
                applied.remove(p.routerId());
                failures.add(e.getMessage());
            }
        }
        for (String ns : existing) {
            if (!wanted.contains(ns)) {
                host.run(null, "ip", "netns", "del", ns);
                applied.remove(ns.substring(prefix.length()));
            }
        }
        if (!failures.isEmpty()) {
            throw new DataPlaneException(String.join("; ", failures));
        }
    }

    /** The router namespaces of ours that exist now. */
    public Set<String> namespaces() {
        Set<String> out = new TreeSet<>();
        for (String line : host.check("listing namespaces", "ip", "netns", "list").split("\n")) {
            String name = line.trim().split("\\s+", 2)[0];
            if (name.startsWith(prefix)) {
                out.add(name);
            }
        }
        return out;
    }

    /** The networks the existing router namespaces have legs on (kept by the node's reconcile). */
    public Set<Integer> vnis() {
        Set<Integer> out = new TreeSet<>();
        for (String ns : namespaces()) {
            for (String leg : links(ns)) {
                int vni = RouterLegs.vniOf(leg);
                if (vni > 0) {
                    out.add(vni);
                }
            }
        }
        return out;
    }

    private void converge(RouterPlan p, String ns, boolean exists) {
        if (!exists) {
            host.check("creating router namespace " + ns, "ip", "netns", "add", ns);
            host.check("enabling forwarding in " + ns, "ip", "netns", "exec", ns, "sysctl", "-qw",
                    "net.ipv4.ip_forward=1");
        }
        Map<String, RouterLegs.Leg> legs = RouterLegs.wanted(p);
        Set<String> links = links(ns);
        StringBuilder inRouter = new StringBuilder("link set lo up\n");
        for (String l : links) {
            if (!"lo".equals(l) && !legs.containsKey(l)) {
                inRouter.append("link del ").append(l).append('\n');
            }
        }
        StringBuilder inNode = new StringBuilder();
        for (RouterLegs.Leg leg : legs.values()) {
            plane.ensureNetwork(leg.vni());
            int mtu = plane.attachment(AttachmentType.VETH, leg.vni(), p.routerId()).mtu();
            String end = RouterLegs.hostEnd(p.routerId(), leg.vni());
            if (!links.contains(leg.name())) {
                nodeIp(null, "link", "del", end); // a half-made leg of an earlier run, if any
                inNode.append("link add ").append(end).append(" type veth peer name ").append(leg.name())
                        .append(" address ").append(RouterLegs.mac(p.routerId(), leg.vni())).append(" netns ")
                        .append(ns).append('\n');
            }
            String mtuArg = mtu > 0 ? " mtu " + mtu : "";
            inNode.append("link set ").append(end).append(mtuArg).append(" master ").append(Names.bridge(leg.vni()))
                    .append(" up\n");
            inRouter.append("link set ").append(leg.name()).append(mtuArg).append(" up\n");
        }
        Map<String, Set<String>> current = addresses(ns);
        for (RouterLegs.Leg leg : legs.values()) {
            Set<String> have = current.getOrDefault(leg.name(), Set.of());
            for (String a : leg.addresses()) {
                if (!have.contains(a)) {
                    inRouter.append("addr add ").append(a).append(" dev ").append(leg.name()).append('\n');
                }
            }
            for (String a : have) {
                if (!leg.addresses().contains(a)) {
                    inRouter.append("addr del ").append(a).append(" dev ").append(leg.name()).append('\n');
                }
            }
        }
        if (!p.externalGateway().isEmpty()) {
            inRouter.append("route replace default via ").append(p.externalGateway()).append(" dev ")
                    .append(RouterLegs.gatewayLeg(p)).append('\n');
        }
        nodeIpBatch("plugging router " + p.routerId() + " into its networks", inNode.toString());
        host.checkWithInput("configuring router " + p.routerId(), inRouter.toString(), "ip", "-n", ns, "-batch", "-");
        host.checkWithInput("applying the NAT of router " + p.routerId(), RouterNat.render(p), "ip", "netns", "exec",
                ns, "nft", "-f", "-");
    }

    private void nodeIpBatch(String what, String script) {
        if (script.isEmpty()) {
            return;
        }
        if (nodeNamespace == null) {
            host.checkWithInput(what, script, "ip", "-batch", "-");
        } else {
            host.checkWithInput(what, script, "ip", "-n", nodeNamespace, "-batch", "-");
        }
    }

    private Commands.Result nodeIp(String stdin, String... args) {
        List<String> argv = new ArrayList<>(List.of("ip"));
        if (nodeNamespace != null) {
            argv.addAll(List.of("-n", nodeNamespace));
        }
        argv.addAll(List.of(args));
        return host.run(stdin, argv.toArray(String[]::new));
    }

    private Set<String> links(String ns) {
        Set<String> out = new TreeSet<>();
        for (String line : host.check("listing links of " + ns, "ip", "-n", ns, "-o", "link", "show").split("\n")) {
            String[] f = line.split(":\\s+", 3);
            if (f.length >= 2) {
                out.add(f[1].split("@", 2)[0]);
            }
        }
        return out;
    }

    /** IPv4 addresses (with prefix) by device. */
    private Map<String, Set<String>> addresses(String ns) {
        Map<String, Set<String>> out = new HashMap<>();
        for (String line : host.check("listing addresses of " + ns, "ip", "-n", ns, "-o", "-4", "addr", "show")
                .split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && "inet".equals(f[2])) {
                out.computeIfAbsent(f[1], k -> new HashSet<>()).add(f[3]);
            }
        }
        return out;
    }
}
