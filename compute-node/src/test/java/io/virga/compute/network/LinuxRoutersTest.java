package io.virga.compute.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.virga.hypervisor.AttachmentType;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Routers with real namespaces, veths, bridges and nftables NAT, all inside
 * namespaces this test makes (prefix {@code nt}): a node namespace holds the
 * bridges, guests are namespaces on two subnets, "outside" is a namespace
 * on the external network's bridge that has no route to the guests' subnets
 * (so only NAT can answer it). Router namespaces are {@code nt<tag>vrt-<id>}.
 */
class LinuxRoutersTest {
    private static final int A = 301;
    private static final int B = 302;
    private static final int EXT = 399;

    @BeforeAll
    static void needsRootNftAndBusybox() {
        assumeTrue(Netns.usable(), "needs root, nft and busybox");
    }

    private static long within(long millis, BooleanSupplier condition) {
        long start = System.nanoTime();
        do {
            if (condition.getAsBoolean()) {
                return (System.nanoTime() - start) / 1_000_000;
            }
        } while ((System.nanoTime() - start) / 1_000_000 < millis);
        return -1;
    }

    private static RouterPlan plan(String id, List<RouterPlan.Leg> interfaces, List<RouterPlan.Nat> nat) {
        return new RouterPlan(id, new RouterPlan.Leg(EXT, "172.29.0.2/24"), "172.29.0.1", interfaces, nat);
    }

    private static final RouterPlan.Leg LEG_A = new RouterPlan.Leg(A, "10.81.1.1/24");
    private static final RouterPlan.Leg LEG_B = new RouterPlan.Leg(B, "10.81.2.1/24");
    private static final RouterPlan.Nat FIP_A = new RouterPlan.Nat("172.29.0.10", "10.81.1.5");

    /** A guest on {@code vni} with a default route through the router. */
    private static String guest(Netns ns, String node, LinuxDataPlane plane, String name, int vni, String mac,
            String cidr, String gateway) {
        String g = ns.guest(name, node, plane.attachment(AttachmentType.VETH, vni, "p-" + name + ns.tag()), mac,
                cidr);
        Netns.sh("ip", "-n", g, "route", "add", "default", "via", gateway);
        return g;
    }

    @Test
    void aRouterJoinsTwoSubnetsSnatsThemOutAndMapsAFloatingIpThenConvergesAndGoes() {
        try (Netns ns = new Netns("nt")) {
            String prefix = "nt" + ns.tag() + "vrt-";
            String node = ns.add("n");
            LinuxDataPlane plane = new LinuxDataPlane(node, null, List.of());
            LinuxRouters routers = new LinuxRouters(plane, node, prefix);
            try {
                for (int vni : List.of(A, B, EXT)) {
                    plane.ensureNetwork(vni);
                }
                String ga = guest(ns, node, plane, "a", A, "fa:16:3e:00:01:05", "10.81.1.5/24", "10.81.1.1");
                String gb = guest(ns, node, plane, "b", B, "fa:16:3e:00:02:05", "10.81.2.5/24", "10.81.2.1");
                String outside = ns.add("o");
                Netns.sh("ip", "-n", node, "link", "add", "nt-o" + ns.tag(), "type", "veth", "peer", "name", "eth0",
                        "netns", outside);
                Netns.sh("ip", "-n", node, "link", "set", "nt-o" + ns.tag(), "master", Names.bridge(EXT), "up");
                Netns.sh("ip", "-n", outside, "link", "set", "eth0", "up");
                Netns.sh("ip", "-n", outside, "addr", "add", "172.29.0.1/24", "dev", "eth0");
                ns.serve(ga, 80);

                long t0 = System.nanoTime();
                routers.apply(List.of(plan("r1", List.of(LEG_A, LEG_B), List.of(FIP_A))));
                long applyMs = (System.nanoTime() - t0) / 1_000_000;
                long routed = within(10_000, () -> ns.ping(gb, "10.81.1.5"));
                System.out.printf("[nt] router applied in %d ms; first routed ping (b → a) %d ms later%n", applyMs,
                        routed);
                assertTrue(routed >= 0, "b reaches a through the router");
                assertEquals(Set.of(prefix + "r1"), routers.namespaces());
                assertTrue(within(5_000, () -> ns.ping(gb, "172.29.0.1")) >= 0, "b reaches outside (SNAT)");
                long fip = within(5_000, () -> ns.ping(outside, "172.29.0.10"));
                System.out.printf("[nt] outside → floating IP first answered ping after %d ms%n", fip);
                assertTrue(fip >= 0, "outside reaches a's floating IP (DNAT)");
                assertTrue(within(5_000, () -> ns.tcp(outside, "172.29.0.10", 80)) >= 0, "TCP to the floating IP");
                assertFalse(ns.ping(outside, "10.81.1.5"), "the fixed address is not reachable from outside");
                assertTrue(Netns.sh("ip", "netns", "exec", prefix + "r1", "nft", "list", "table", "ip",
                        RouterNat.TABLE).contains("dnat to 10.81.1.5"));

                // disassociate: the floating IP stops answering; a's own SNAT still works
                t0 = System.nanoTime();
                routers.apply(List.of(plan("r1", List.of(LEG_A, LEG_B), List.of())));
                System.out.printf("[nt] disassociation applied in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
                assertFalse(ns.ping(outside, "172.29.0.10"), "no floating IP any more");
                assertTrue(within(5_000, () -> ns.ping(ga, "172.29.0.1")) >= 0, "a still reaches outside by SNAT");

                // remove interface B: b is cut off, a stays
                routers.apply(List.of(plan("r1", List.of(LEG_A), List.of())));
                assertFalse(ns.ping(gb, "10.81.1.5"), "b no longer routed");
                assertFalse(Netns.sh("ip", "-n", prefix + "r1", "-o", "link", "show").contains("qr-" + B));

                // a restart: a fresh object converges what exists (stale router r0 goes, r1 gets B back)
                Netns.sh("ip", "netns", "add", prefix + "r0");
                LinuxRouters restarted = new LinuxRouters(plane, node, prefix);
                assertEquals(Set.of(A, EXT), restarted.vnis());
                restarted.apply(List.of(plan("r1", List.of(LEG_A, LEG_B), List.of(FIP_A))));
                assertEquals(Set.of(prefix + "r1"), restarted.namespaces(), "the stale router namespace is gone");
                assertTrue(within(5_000, () -> ns.ping(gb, "10.81.1.5")) >= 0, "b routed again");
                assertTrue(within(5_000, () -> ns.ping(outside, "172.29.0.10")) >= 0, "floating IP again");
                restarted.apply(List.of(plan("r1", List.of(LEG_A, LEG_B), List.of(FIP_A))));

                // delete: the namespace and the host ends of its legs go
                restarted.apply(List.of());
                assertEquals(Set.of(), restarted.namespaces());
                assertTrue(within(5_000, () -> !Netns.sh("ip", "-n", node, "-o", "link", "show")
                        .contains(RouterLegs.hostEnd("r1", A))) >= 0, "the router's veths are gone");
                assertFalse(ns.ping(gb, "10.81.1.5"));
            } finally {
                for (String r : routers.namespaces()) {
                    Netns.run("ip", "netns", "del", r);
                }
            }
        }
    }

    @Test
    void badPlansAreRefusedBeforeAnythingIsTouched() {
        RouterPlan bad = new RouterPlan("r1; rm", new RouterPlan.Leg(EXT, "172.29.0.2/24"), "", List.of(),
                List.of());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> RouterNat.render(bad));
        RouterPlan badNat = plan("r1", List.of(LEG_A), List.of(new RouterPlan.Nat("172.29.0.10", "x")));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, badNat::check);
    }

    @Test
    void theNatScriptSnatsSubnetsAndMapsFloatingIpsOneToOne() {
        String script = RouterNat.render(plan("r1", List.of(LEG_A, LEG_B), List.of(FIP_A)));
        assertTrue(script.contains("ip daddr 172.29.0.10 dnat to 10.81.1.5"), script);
        assertTrue(script.contains("oifname \"qg-399\" ip saddr 10.81.1.5 snat to 172.29.0.10"), script);
        assertTrue(script.contains("oifname \"qg-399\" ip saddr { 10.81.1.0/24, 10.81.2.0/24 } snat to 172.29.0.2"),
                script);
        assertTrue(script.indexOf("snat to 172.29.0.10") < script.indexOf("snat to 172.29.0.2"),
                "the floating IP's SNAT comes before the subnet's");
    }
}
