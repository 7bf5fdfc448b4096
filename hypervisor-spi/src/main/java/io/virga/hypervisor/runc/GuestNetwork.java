package io.virga.hypervisor.runc;

import io.virga.hypervisor.AttachmentType;
import io.virga.hypervisor.GuestSpec;
import io.virga.hypervisor.HostAttachment;
import io.virga.hypervisor.HypervisorException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A container's network: its own network namespace ({@code ip netns add}, named {@link #namespace(String)}),
 * and for every {@link AttachmentType#VETH} NIC a veth pair, the guest end moved into that namespace as
 * {@code eth<i>} with the spec's MAC, MTU, address with the subnet's prefix (/24 or /64 when unknown) and a
 * default route via the subnet's gateway when there is one (the first NIC with a gateway only), the
 * host end named {@link HostAttachment#deviceName()} (or derived from the port id), up, and enslaved to the
 * named bridge in the bridge's namespace. NICs of other attachment types get no host device.
 *
 * <p>{@link #setUp} is all-or-nothing: on failure it removes what it made. {@link #tearDown} is idempotent.
 */
final class GuestNetwork {
    private static final Duration BUDGET = Duration.ofSeconds(30);
    private static final String NETNS_DIR = "/var/run/netns/";

    private GuestNetwork() {
    }

    /** The name of a guest's network namespace. */
    static String namespace(String instanceId) {
        return "virga-" + instanceId;
    }

    /** The path runc joins for the guest's network namespace. */
    static String namespacePath(String instanceId) {
        return NETNS_DIR + namespace(instanceId);
    }

    /** The host-side device name of a NIC. */
    static String hostDevice(GuestSpec.NetworkInterface nic) {
        if (nic.attachment().deviceName() != null) {
            return nic.attachment().deviceName();
        }
        return "vv" + shortHash(nic.portId(), 12);
    }

    /**
     * Makes the guest's namespace and its veth NICs, in at most three {@code ip -batch} runs (one process
     * each, not one per step: this is on the path of every container start): the namespace and the host
     * ends, the host ends in the bridge's namespace when that is another one, and everything inside the
     * guest's namespace. {@code ip} stops at the first failing line; what was made is then removed.
     */
    static void setUp(GuestSpec spec) {
        String ns = namespace(spec.instanceId());
        Map<String, StringBuilder> hostSide = new LinkedHashMap<>(); // bridge namespace ("" = ours) → lines
        hostSide.put("", new StringBuilder("netns add " + ns + "\n"));
        StringBuilder inside = new StringBuilder("link set lo up\n");
        List<GuestSpec.NetworkInterface> nics = spec.interfaces();
        boolean routed = false;
        for (int i = 0; i < nics.size(); i++) {
            GuestSpec.NetworkInterface nic = nics.get(i);
            if (nic.attachment().type() != AttachmentType.VETH) {
                continue;
            }
            HostAttachment a = nic.attachment();
            String host = hostDevice(nic);
            String peer = "vp" + shortHash(nic.portId() + "/" + ns, 12);
            String guest = "eth" + i;
            String mtu = a.mtu() > 0 ? " mtu " + a.mtu() : "";
            hostSide.computeIfAbsent(a.namespace() == null ? "" : a.namespace(), k -> new StringBuilder())
                    .append("link add ").append(host).append(mtu).append(" type veth peer name ").append(peer)
                    .append(" netns ").append(ns).append('\n')
                    .append("link set ").append(host).append(a.bridge() == null ? "" : " master " + a.bridge())
                    .append(" up\n");
            inside.append("link set ").append(peer).append(" name ").append(guest).append(" address ")
                    .append(nic.mac()).append(mtu).append('\n');
            if (nic.ip() != null) {
                inside.append("addr add ").append(nic.ip()).append('/').append(nic.effectivePrefix())
                        .append(" dev ").append(guest).append('\n');
            }
            inside.append("link set ").append(guest).append(" up\n");
            if (!routed && nic.gateway() != null) {
                inside.append("route add default via ").append(nic.gateway()).append(" dev ").append(guest)
                        .append('\n');
                routed = true;
            }
        }
        try {
            for (Map.Entry<String, StringBuilder> side : hostSide.entrySet()) {
                batch("making the network of guest " + spec.instanceId(), side.getKey(), side.getValue());
            }
            batch("configuring the network inside guest " + spec.instanceId(), ns, inside);
        } catch (RuntimeException e) {
            tearDown(spec);
            throw e;
        }
    }

    /** Runs {@code lines} with one {@code ip -batch -}, in network namespace {@code ns} ("" = ours). */
    private static void batch(String what, String ns, CharSequence lines) {
        List<String> argv = new ArrayList<>(List.of("ip"));
        if (!ns.isEmpty()) {
            argv.addAll(List.of("-n", ns));
        }
        argv.addAll(List.of("-batch", "-"));
        Proc.checkWithInput(BUDGET, what, argv, lines.toString());
    }

    /** Removes the guest's host devices and namespace; nothing that is already gone is an error. */
    static void tearDown(GuestSpec spec) {
        for (GuestSpec.NetworkInterface nic : spec.interfaces()) {
            if (nic.attachment().type() == AttachmentType.VETH) {
                List<String> del = new ArrayList<>(List.of("ip"));
                if (nic.attachment().namespace() != null) {
                    del.addAll(List.of("-n", nic.attachment().namespace()));
                }
                del.addAll(List.of("link", "del", hostDevice(nic)));
                Proc.run(BUDGET, del);
            }
        }
        if (new java.io.File(namespacePath(spec.instanceId())).exists()) {
            Proc.Result r = Proc.run(BUDGET, List.of("ip", "netns", "del", namespace(spec.instanceId())));
            if (!r.ok() && new java.io.File(namespacePath(spec.instanceId())).exists()) {
                throw new HypervisorException("cannot remove network namespace " + namespace(spec.instanceId())
                        + ": " + r.output());
            }
        }
    }

    static String shortHash(String s, int hexChars) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, hexChars);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
