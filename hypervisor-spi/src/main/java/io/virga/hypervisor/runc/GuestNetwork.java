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
import java.util.List;

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

    /** Makes the guest's namespace and its veth NICs. */
    static void setUp(GuestSpec spec) {
        String ns = namespace(spec.instanceId());
        ip("creating network namespace " + ns, "netns", "add", ns);
        try {
            ip("bringing up loopback", "-n", ns, "link", "set", "lo", "up");
            List<GuestSpec.NetworkInterface> nics = spec.interfaces();
            boolean routed = false;
            for (int i = 0; i < nics.size(); i++) {
                GuestSpec.NetworkInterface nic = nics.get(i);
                if (nic.attachment().type() == AttachmentType.VETH) {
                    plug(ns, "eth" + i, nic);
                    if (!routed && nic.gateway() != null) {
                        ip("default route of eth" + i, "-n", ns, "route", "add", "default", "via", nic.gateway(),
                                "dev", "eth" + i);
                        routed = true;
                    }
                }
            }
        } catch (RuntimeException e) {
            tearDown(spec);
            throw e;
        }
    }

    private static void plug(String ns, String guestName, GuestSpec.NetworkInterface nic) {
        HostAttachment a = nic.attachment();
        String host = hostDevice(nic);
        String peer = "vp" + shortHash(nic.portId() + "/" + ns, 12);
        List<String> hostNs = a.namespace() == null ? List.of() : List.of("-n", a.namespace());
        List<String> add = new ArrayList<>(hostNs);
        add.addAll(List.of("link", "add", host));
        if (a.mtu() > 0) {
            add.addAll(List.of("mtu", String.valueOf(a.mtu())));
        }
        add.addAll(List.of("type", "veth", "peer", "name", peer, "netns", ns));
        ip("creating veth " + host + " for port " + nic.portId(), add.toArray(String[]::new));
        List<String> set = new ArrayList<>(List.of("-n", ns, "link", "set", peer, "name", guestName, "address", nic.mac()));
        if (a.mtu() > 0) {
            set.addAll(List.of("mtu", String.valueOf(a.mtu())));
        }
        ip("configuring " + guestName, set.toArray(String[]::new));
        if (nic.ip() != null) {
            ip("addressing " + guestName, "-n", ns, "addr", "add", nic.ip() + "/" + nic.effectivePrefix(), "dev", guestName);
        }
        ip("bringing up " + guestName, "-n", ns, "link", "set", guestName, "up");
        List<String> up = new ArrayList<>(hostNs);
        up.addAll(List.of("link", "set", host));
        if (a.bridge() != null) {
            up.addAll(List.of("master", a.bridge()));
        }
        up.add("up");
        ip("attaching " + host + (a.bridge() == null ? "" : " to bridge " + a.bridge()), up.toArray(String[]::new));
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

    private static void ip(String what, String... args) {
        List<String> argv = new ArrayList<>();
        argv.add("ip");
        argv.addAll(List.of(args));
        Proc.check(BUDGET, what, argv);
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
