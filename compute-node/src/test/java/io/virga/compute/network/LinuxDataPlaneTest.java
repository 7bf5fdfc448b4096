package io.virga.compute.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.virga.hypervisor.AttachmentType;
import io.virga.hypervisor.HostAttachment;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The linux data plane with real bridges, veths, VXLAN and nftables, in
 * network namespaces this test makes ({@code vn-…}): compute nodes are
 * namespaces, guests are namespaces plugged into a node's bridge. Packets
 * flow only between those namespaces.
 */
class LinuxDataPlaneTest {
    private static final List<PortFilter.Rule> ALL_EGRESS =
            List.of(new PortFilter.Rule(false, "any", 0, 0, List.of()));

    @BeforeAll
    static void needsRootNftAndBusybox() {
        assumeTrue(Netns.usable(), "needs root, nft and busybox");
    }

    private static PortFilter.Rule ingressFrom(String cidr) {
        return new PortFilter.Rule(true, "any", 0, 0, List.of(cidr));
    }

    private static PortFilter filter(String port, int vni, String mac, String ip, List<PortFilter.Rule> rules) {
        return new PortFilter(port, vni, Names.portDevice(port), mac, ip, rules);
    }

    /** Waits up to {@code millis} for {@code condition}; answers the time it took (ms), or -1. */
    private static long within(long millis, BooleanSupplier condition) {
        long start = System.nanoTime();
        do {
            if (condition.getAsBoolean()) {
                return (System.nanoTime() - start) / 1_000_000;
            }
        } while ((System.nanoTime() - start) / 1_000_000 < millis);
        return -1;
    }

    @Test
    void guestsOnOneNetworkTalkOthersDoNotAndAnSshOnlyGroupBlocksPingAndHttp() {
        try (Netns ns = new Netns()) {
            String node = ns.add("n");
            LinuxDataPlane plane = new LinuxDataPlane(node, null, List.of());
            long t0 = System.nanoTime();
            plane.ensureNetwork(101);
            plane.ensureNetwork(102);
            HostAttachment a1 = plane.attachment(AttachmentType.VETH, 101, "p-a");
            HostAttachment a2 = plane.attachment(AttachmentType.VETH, 101, "p-b");
            HostAttachment a3 = plane.attachment(AttachmentType.VETH, 102, "p-c");
            String g1 = ns.guest("a", node, a1, "fa:16:3e:00:00:01", "10.50.0.2/24");
            String g2 = ns.guest("b", node, a2, "fa:16:3e:00:00:02", "10.50.0.3/24");
            String g3 = ns.guest("c", node, a3, "fa:16:3e:00:00:03", "10.50.0.4/24");
            // the default group: members reach each other, all egress
            PortFilter f1 = filter("p-a", 101, "fa:16:3e:00:00:01", "10.50.0.2",
                    List.of(ingressFrom("10.50.0.3/32"), ALL_EGRESS.get(0)));
            PortFilter f2 = filter("p-b", 101, "fa:16:3e:00:00:02", "10.50.0.3",
                    List.of(ingressFrom("10.50.0.2/32"), ALL_EGRESS.get(0)));
            PortFilter f3 = filter("p-c", 102, "fa:16:3e:00:00:03", "10.50.0.4",
                    List.of(ingressFrom("10.50.0.0/24"), ALL_EGRESS.get(0)));
            plane.applyFilters(List.of(f1, f2, f3));
            ns.serve(g2, 22);
            ns.serve(g2, 80);
            long flowing = within(10_000, () -> ns.ping(g1, "10.50.0.3"));
            System.out.printf("[vn] plug → first ping answered: %d ms (setup + apply %d ms before)%n", flowing,
                    (System.nanoTime() - t0) / 1_000_000);
            assertTrue(flowing >= 0, "g1 pings g2 on one network");
            assertTrue(within(5_000, () -> ns.tcp(g1, "10.50.0.3", 80)) >= 0, "TCP 80 between members");
            assertFalse(ns.ping(g1, "10.50.0.4"), "another network's guest is unreachable (same subnet, other bridge)");
            assertFalse(ns.ping(g3, "10.50.0.2"));

            // g2 joins an SSH-only group
            PortFilter sshOnly = filter("p-b", 101, "fa:16:3e:00:00:02", "10.50.0.3",
                    List.of(new PortFilter.Rule(true, "tcp", 22, 22, List.of("0.0.0.0/0")), ALL_EGRESS.get(0)));
            long applyStart = System.nanoTime();
            plane.applyFilters(List.of(f1, sshOnly, f3));
            long applyMs = (System.nanoTime() - applyStart) / 1_000_000;
            long blocked = within(2_000, () -> !ns.ping(g1, "10.50.0.3"));
            System.out.printf("[vn] rule change: nft apply %d ms; next ping (1 s probe timeout) failed after %d ms%n",
                    applyMs, blocked);
            assertTrue(blocked >= 0 && blocked < 2_000, "ping blocked within a second or two");
            assertFalse(ns.tcp(g1, "10.50.0.3", 80), "TCP 80 blocked");
            assertTrue(ns.tcp(g1, "10.50.0.3", 22), "TCP 22 allowed");
            assertTrue(ns.ping(g2, "10.50.0.2"), "g2's own egress and the replies still pass");

            // back to the default group: ping flows again
            long reopenStart = System.nanoTime();
            plane.applyFilters(List.of(f1, f2, f3));
            long reopened = within(2_000, () -> ns.ping(g1, "10.50.0.3"));
            System.out.printf("[vn] rule change: allowed again, first ping answered %d ms after the apply began%n",
                    reopened < 0 ? -1 : (System.nanoTime() - reopenStart) / 1_000_000);
            assertTrue(reopened >= 0);

            // even when g2 admits anyone, g1 cannot send with another address (the guard drops it)
            PortFilter open = filter("p-b", 101, "fa:16:3e:00:00:02", "10.50.0.3",
                    List.of(ingressFrom("0.0.0.0/0"), ALL_EGRESS.get(0)));
            plane.applyFilters(List.of(f1, open, f3));
            Netns.sh("ip", "-n", g1, "addr", "add", "10.50.0.9/24", "dev", "eth0");
            assertTrue(ns.ping(g1, "10.50.0.3"));
            assertFalse(Netns.run("ip", "netns", "exec", g1, "busybox", "ping", "-c", "1", "-W", "1", "-I",
                    "10.50.0.9", "10.50.0.3").exit() == 0, "spoofed source dropped");
        }
    }

    @Test
    void vxlanJoinsOneNetworkAcrossTwoNodes() {
        try (Netns ns = new Netns()) {
            String n1 = ns.add("x");
            String n2 = ns.add("y");
            // the underlay: a veth between the two node namespaces
            Netns.sh("ip", "-n", n1, "link", "add", "vn-u1", "type", "veth", "peer", "name", "vn-u2", "netns", n2);
            Netns.sh("ip", "-n", n1, "addr", "add", "192.168.251.1/24", "dev", "vn-u1");
            Netns.sh("ip", "-n", n2, "addr", "add", "192.168.251.2/24", "dev", "vn-u2");
            Netns.sh("ip", "-n", n1, "link", "set", "vn-u1", "up");
            Netns.sh("ip", "-n", n2, "link", "set", "vn-u2", "up");
            LinuxDataPlane p1 = new LinuxDataPlane(n1, "192.168.251.1", List.of("192.168.251.2"));
            LinuxDataPlane p2 = new LinuxDataPlane(n2, "192.168.251.2", List.of("192.168.251.1"));
            p1.ensureNetwork(201);
            p2.ensureNetwork(201);
            p1.ensureNetwork(201); // idempotent
            String ga = ns.guest("a", n1, p1.attachment(AttachmentType.VETH, 201, "p-xa"), "fa:16:3e:00:01:01",
                    "10.60.0.2/24");
            String gb = ns.guest("b", n2, p2.attachment(AttachmentType.VETH, 201, "p-xb"), "fa:16:3e:00:01:02",
                    "10.60.0.3/24");
            p1.applyFilters(List.of(filter("p-xa", 201, "fa:16:3e:00:01:01", "10.60.0.2",
                    List.of(ingressFrom("10.60.0.3/32"), ALL_EGRESS.get(0)))));
            p2.applyFilters(List.of(filter("p-xb", 201, "fa:16:3e:00:01:02", "10.60.0.3",
                    List.of(ingressFrom("10.60.0.2/32"), ALL_EGRESS.get(0)))));
            ns.serve(gb, 22);
            assertTrue(within(10_000, () -> ns.ping(ga, "10.60.0.3")) >= 0, "ping over VXLAN");
            assertTrue(ns.tcp(ga, "10.60.0.3", 22), "TCP over VXLAN");
            assertEquals(1450, LinuxDataPlane.VXLAN_MTU);
        }
    }

    @Test
    void reconcileRemovesNetworksNoGuestNeedsAndAnApplyLeavesNoStaleRule() {
        try (Netns ns = new Netns()) {
            String node = ns.add("r");
            LinuxDataPlane plane = new LinuxDataPlane(node, null, List.of());
            plane.ensureNetwork(301);
            plane.ensureNetwork(302);
            plane.ensureNetwork(303);
            plane.applyFilters(List.of(filter("p-r1", 301, "fa:16:3e:00:02:01", "10.70.0.2", ALL_EGRESS),
                    filter("p-r2", 302, "fa:16:3e:00:02:02", "10.70.0.3", ALL_EGRESS)));
            // a node restart: a fresh plane object finds what exists and keeps only what its guests need
            LinuxDataPlane restarted = new LinuxDataPlane(node, null, List.of());
            assertEquals(Set.of(301, 302, 303), restarted.networks());
            assertEquals(Set.of(302, 303), restarted.reconcile(Set.of(301)));
            assertEquals(Set.of(301), restarted.networks());
            restarted.applyFilters(List.of(filter("p-r1", 301, "fa:16:3e:00:02:01", "10.70.0.2", ALL_EGRESS)));
            String rules = Netns.sh("ip", "netns", "exec", node, "nft", "list", "ruleset");
            assertTrue(rules.contains("out_p_r1"), rules);
            assertFalse(rules.contains("p_r2"), "no stale chain of a gone port: " + rules);
            restarted.applyFilters(List.of());
            assertFalse(Netns.sh("ip", "netns", "exec", node, "nft", "list", "ruleset").contains("p_r1"));
        }
    }
}
