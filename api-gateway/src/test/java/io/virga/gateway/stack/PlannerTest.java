package io.virga.gateway.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.TextNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Plans and applies against {@link MemoryWorld}: the diff kinds, unknown values, drift, failure and convergence. */
class PlannerTest {
    private final MemoryWorld world = new MemoryWorld();
    private final Map<String, StoredResource> owned = new ConcurrentHashMap<>();
    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    static String spec(String image, String name) {
        return """
                resources:
                  network:
                    web: {name: web}
                  subnet:
                    v4: {network_id: "${network.web.id}", cidr: 10.0.0.0/24}
                  security_group:
                    sg: {name: sg}
                  security_group_rule:
                    ssh: {security_group_id: "${security_group.sg.id}", direction: ingress, protocol: tcp,
                          port_range_min: 22, port_range_max: 22}
                  instance:
                    a: {name: %s, flavor: f, image: %s, networks: [{network: "${network.web.id}"}]}
                    b: {name: b, flavor: f, image: %s, networks: [{network: "${network.web.id}"}]}
                outputs:
                  a_id: ${instance.a.id}
                """.formatted(name, image, image);
    }

    private Plan plan(String text) {
        return Planner.plan(SpecParser.parse(text), Map.of(), owned, world);
    }

    private Applier.Result apply(String text) {
        Spec spec = SpecParser.parse(text);
        return new Applier(world, pool, journal()).apply(spec, Planner.plan(spec, Map.of(), owned, world), owned);
    }

    private Map<String, String> actions(Plan p) {
        Map<String, String> out = new LinkedHashMap<>();
        p.steps().forEach(s -> out.put(s.address(), s.action().wire()));
        return out;
    }

    @Test
    void aNewStackPlansCreatesWithIdsKnownAfterApply() {
        Plan p = plan(spec("img1", "a"));
        assertEquals(Map.of("network.web", "create", "subnet.v4", "create", "security_group.sg", "create",
                "security_group_rule.ssh", "create", "instance.a", "create", "instance.b", "create"), actions(p));
        Plan.Step subnet = p.steps().stream().filter(s -> s.address().equals("subnet.v4")).findFirst().orElseThrow();
        assertEquals(TextNode.valueOf(Resolver.UNKNOWN), subnet.inputs().get("network_id"));
        assertTrue(world.log.isEmpty(), "a plan changes nothing: " + world.log);
    }

    @Test
    void applyingTwiceChangesNothingAndTheSecondPlanIsAllNoOp() {
        assertTrue(apply(spec("img1", "a")).ok());
        assertEquals(6, world.resources.size());
        int calls = world.log.size();
        Plan again = plan(spec("img1", "a"));
        assertTrue(again.empty(), actions(again).toString());
        assertTrue(apply(spec("img1", "a")).ok());
        assertEquals(calls, world.log.size(), "nothing was called: " + world.log);
        assertEquals(plan(spec("img1", "a")).fingerprint(), again.fingerprint());
    }

    @Test
    void anImageChangeReplacesANameChangeUpdatesInPlace() {
        apply(spec("img1", "a"));
        Plan p = plan(spec("img2", "a2"));
        assertEquals("replace", actions(p).get("instance.a"));
        assertEquals("replace", actions(p).get("instance.b"));
        Plan.Step a = p.steps().stream().filter(s -> s.address().equals("instance.a")).findFirst().orElseThrow();
        assertTrue(a.changes().stream().anyMatch(c -> c.attribute().equals("image") && c.forcesReplacement()));
        assertTrue(a.changes().stream().anyMatch(c -> c.attribute().equals("name") && !c.forcesReplacement()));
        Plan rename = plan(spec("img1", "a2"));
        assertEquals("update", actions(rename).get("instance.a"));
        assertEquals("no-op", actions(rename).get("instance.b"));
        assertTrue(apply(spec("img1", "a2")).ok());
        assertTrue(plan(spec("img1", "a2")).empty());
    }

    @Test
    void replacingANetworkMakesWhatReferencesItsIdUnknownAndReplacedToo() {
        apply(spec("img1", "a"));
        Plan p = plan(spec("img1", "a").replace("web: {name: web}", "web: {name: web2}"));
        assertEquals("replace", actions(p).get("network.web"));
        assertEquals("replace", actions(p).get("subnet.v4"));
        assertEquals("replace", actions(p).get("instance.a"));
        assertEquals("no-op", actions(p).get("security_group.sg"));
        Plan.Step subnet = p.steps().stream().filter(s -> s.address().equals("subnet.v4")).findFirst().orElseThrow();
        assertEquals(TextNode.valueOf(Resolver.UNKNOWN), subnet.changes().get(0).after());
    }

    @Test
    void driftShowsInTheNextPlan() {
        apply(spec("img1", "a"));
        String a = owned.get("instance.a").id();
        ((com.fasterxml.jackson.databind.node.ObjectNode) world.resources.get(a)).put("status", "STOPPED");
        world.resources.remove(owned.get("security_group_rule.ssh").id());
        Plan p = plan(spec("img1", "a"));
        assertEquals("update", actions(p).get("instance.a"));
        assertEquals("create", actions(p).get("security_group_rule.ssh"));
        assertTrue(p.steps().stream().filter(s -> s.address().equals("security_group_rule.ssh")).findFirst()
                .orElseThrow().reason().contains("deleted outside the stack"));
        world.resources.remove(owned.get("instance.b").id());
        assertEquals("create", actions(plan(spec("img1", "a"))).get("instance.b"));
        assertTrue(apply(spec("img1", "a")).ok());
        assertTrue(plan(spec("img1", "a")).empty());
    }

    @Test
    void aFailureStopsDependantsKeepsTheRestAndASecondApplyConverges() {
        world.refuseNames.add("web");
        Applier.Result r = apply(spec("img1", "a"));
        assertEquals(List.of("network.web"), r.failed());
        assertEquals(List.of("subnet.v4", "instance.a", "instance.b"), r.skipped());
        assertEquals(2, world.resources.size(), "the group and its rule were made: " + world.log);
        assertTrue(owned.containsKey("security_group_rule.ssh"));
        world.refuseNames.clear();
        Plan p = plan(spec("img1", "a"));
        assertEquals("no-op", actions(p).get("security_group.sg"));
        assertEquals("create", actions(p).get("network.web"));
        assertTrue(apply(spec("img1", "a")).ok());
        assertEquals(6, world.resources.size());
        assertTrue(plan(spec("img1", "a")).empty());
    }

    @Test
    void removedResourcesAreDeletedDependantsFirstAndAnEmptySpecDeletesEverything() {
        apply(spec("img1", "a"));
        String onlyNetwork = "resources:\n  network:\n    web: {name: web}\n";
        Plan p = plan(onlyNetwork);
        assertEquals("delete", actions(p).get("subnet.v4"));
        List<String> order = p.steps().stream().map(Plan.Step::address).toList();
        assertTrue(order.indexOf("security_group_rule.ssh") < order.indexOf("security_group.sg"), order.toString());
        assertTrue(apply(onlyNetwork).ok());
        assertEquals(1, world.resources.size());
        int ruleDelete = indexOf("delete security_group_rule");
        int groupDelete = indexOf("delete security_group ");
        assertTrue(ruleDelete >= 0 && ruleDelete < groupDelete, world.log.toString());
    }

    @Test
    void variablesWithoutValuesAndUnknownVariablesAreRefused() {
        String text = "variables:\n  n: {description: x}\nresources:\n  network:\n    w: {name: \"${var.n}\"}\n";
        SpecInvalid e = org.junit.jupiter.api.Assertions.assertThrows(SpecInvalid.class,
                () -> Planner.plan(SpecParser.parse(text), Map.of("m", TextNode.valueOf("x")), owned, world));
        assertEquals(2, e.errors().size(), e.errors().toString());
        assertEquals(2, e.errors().get(1).line());
        Plan p = Planner.plan(SpecParser.parse(text), Map.of("n", TextNode.valueOf("web")), owned, world);
        assertEquals("web", p.steps().get(0).inputs().path("name").asText());
        assertNotEquals(p.fingerprint(), Planner.plan(SpecParser.parse(text), Map.of("n", TextNode.valueOf("w2")),
                owned, world).fingerprint());
        assertFalse(p.empty());
    }

    private int indexOf(String prefix) {
        for (int i = 0; i < world.log.size(); i++) {
            if (world.log.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    private Applier.Journal journal() {
        return new Applier.Journal() {
            @Override
            public void begin(String step) {
            }

            @Override
            public void end(String step, boolean ok, String detail) {
            }

            @Override
            public void saved(StoredResource r) {
                owned.put(r.address(), r);
            }

            @Override
            public void removed(String address) {
                owned.remove(address);
            }
        };
    }
}
