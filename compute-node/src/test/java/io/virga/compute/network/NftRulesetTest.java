package io.virga.compute.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rendered nftables script, and the sim plane that shares it. */
class NftRulesetTest {
    private static final PortFilter WEB = new PortFilter("p-web", 7, "vn-tabc", "fa:16:3e:00:00:01", "10.0.0.5",
            List.of(new PortFilter.Rule(true, "tcp", 22, 22, List.of("0.0.0.0/0")),
                    new PortFilter.Rule(true, "udp", 5000, 5010, List.of("10.0.0.6/32", "10.0.0.7/32")),
                    new PortFilter.Rule(true, "icmp", 0, 0, List.of()),
                    new PortFilter.Rule(false, "any", 0, 0, List.of())));

    @Test
    void rulesBecomeChainsThatEndInDropAndAreReachedFromTheForwardHook() {
        String s = NftRuleset.render(List.of(WEB));
        assertTrue(s.startsWith("table bridge vn_guard {}\ndelete table bridge vn_guard\n"), s);
        assertTrue(s.contains("  chain in_p_web {\n"
                + "    ip saddr 0.0.0.0/0 meta l4proto tcp tcp dport 22 accept\n"
                + "    ip saddr { 10.0.0.6/32, 10.0.0.7/32 } meta l4proto udp udp dport 5000-5010 accept\n"
                + "    meta l4proto icmp accept\n"
                + "    drop\n  }\n"), s);
        assertTrue(s.contains("  chain out_p_web {\n    meta nfproto ipv4 return\n    drop\n  }\n"), s);
        assertTrue(s.contains("    iifname \"vn-br-7\" ip saddr 10.0.0.5 jump out_p_web\n"), s);
        assertTrue(s.contains("    oifname \"vn-br-7\" ip daddr 10.0.0.5 jump in_p_web\n"), s);
        assertTrue(s.contains("    iifname \"vn-tabc\" ether saddr != fa:16:3e:00:00:01 drop\n"), s);
        assertTrue(s.contains("ct state established,related accept"), s);
    }

    @Test
    void sameInputSameScriptAndBadInputIsRefused() {
        PortFilter other = new PortFilter("p-a", 7, "vn-tdef", "fa:16:3e:00:00:02", "10.0.0.6", List.of());
        assertEquals(NftRuleset.render(List.of(WEB, other)), NftRuleset.render(List.of(other, WEB)));
        assertThrows(IllegalArgumentException.class, () -> NftRuleset.render(List.of(new PortFilter("p-x", 7,
                "vn-t1", "fa:16:3e:00:00:02", "10.0.0.6; flush ruleset", List.of()))));
        assertThrows(IllegalArgumentException.class, () -> NftRuleset.render(List.of(new PortFilter("p-x", 7,
                "vn-t1", "fa:16:3e:00:00:02", "10.0.0.6", List.of(new PortFilter.Rule(true, "tcp", 1, 2,
                        List.of("evil }")))))));
    }

    @Test
    void theSimPlaneKeepsTheSameContractInMemory() {
        SimDataPlane sim = new SimDataPlane();
        sim.ensureNetwork(1);
        sim.ensureNetwork(2);
        sim.ensureNetwork(2);
        assertEquals(Set.of(1, 2), sim.networks());
        sim.applyFilters(List.of(WEB));
        assertEquals(List.of(WEB), sim.filters());
        assertTrue(sim.lastScript().contains("in_p_web"));
        assertEquals(Set.of(2), sim.reconcile(Set.of(1)));
        assertEquals(Set.of(1), sim.networks());
        sim.applyFilters(List.of());
        assertEquals(List.of(), sim.filters());
    }

    @Test
    void namesFitLinuxLimits() {
        assertEquals("vn-br-16777215", Names.bridge(16777215));
        assertTrue(Names.portDevice("p-0123456789ab").length() <= 15);
        assertEquals(42, Names.vniOf("vn-vx-42"));
        assertEquals(-1, Names.vniOf("vn-tabc"));
    }
}
