package io.virga.tf.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.virga.tf.protocol.Tfplugin6;
import io.virga.tf.resource.Resource;
import io.virga.tf.value.Unknown;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchemaAndPlanTest {
    private final Resources resources = new Resources();

    private Tfplugin6.Schema.Attribute attribute(String type, String name) {
        return resources.get(type).schema().toProto().getBlock().getAttributesList().stream()
                .filter(a -> a.getName().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void everyResourceTypeHasAComputedIdAndTypesInCtyJson() {
        assertEquals(List.of("virga_network", "virga_subnet", "virga_security_group", "virga_security_group_rule",
                "virga_volume", "virga_instance", "virga_floating_ip", "virga_keypair"), new ArrayList<>(resources.all().keySet()));
        for (Resource r : resources.all().values()) {
            Tfplugin6.Schema.Attribute id = attribute(r.typeName(), "id");
            assertTrue(id.getComputed() && !id.getOptional() && !id.getRequired(), r.typeName());
            assertEquals("\"string\"", id.getType().toString(StandardCharsets.UTF_8));
        }
        assertEquals("[\"list\",\"string\"]", attribute("virga_instance", "network_ids").getType()
                .toString(StandardCharsets.UTF_8));
        assertEquals("[\"list\",[\"object\",{\"network\":\"string\",\"port\":\"string\",\"ip\":\"string\","
                + "\"mac\":\"string\"}]]", attribute("virga_instance", "addresses").getType()
                .toString(StandardCharsets.UTF_8));
        assertTrue(attribute("virga_subnet", "gateway_ip").getOptional());
        assertTrue(attribute("virga_subnet", "gateway_ip").getComputed());
        assertTrue(Resources.PROVIDER.toProto().getBlock().getAttributesList().stream()
                .anyMatch(a -> a.getName().equals("token") && a.getSensitive()));
    }

    private static Map<String, Object> instance(String flavor, String image) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", "i-1");
        m.put("name", "web");
        m.put("flavor", flavor);
        m.put("image", image);
        m.put("network_ids", List.of("n-1"));
        m.put("user_data", null);
        m.put("key_name", null);
        m.put("status", "ACTIVE");
        m.put("host", "h-1");
        m.put("flavor_id", "f-1");
        m.put("addresses", List.of());
        return m;
    }

    @Test
    void aCreatePlansComputedValuesAsUnknown() {
        Resource type = resources.get("virga_instance");
        Map<String, Object> config = instance("small", "img");
        config.replaceAll((k, v) -> List.of("id", "status", "host", "flavor_id", "addresses").contains(k) ? null : v);
        Planner.Plan plan = Planner.plan(type, null, config, config);
        assertSame(Unknown.VALUE, plan.planned().get("id"));
        assertSame(Unknown.VALUE, plan.planned().get("addresses"));
        assertEquals("small", plan.planned().get("flavor"));
        assertEquals(List.of(), plan.requiresReplace());
    }

    @Test
    void aFlavorChangeIsAnInPlaceUpdateAndAnImageChangeAReplacement() {
        Resource type = resources.get("virga_instance");
        Planner.Plan resize = Planner.plan(type, instance("small", "img"), instance("medium", "img"),
                instance("medium", "img"));
        assertEquals(List.of(), resize.requiresReplace());
        assertEquals("i-1", resize.planned().get("id"), "the same instance");
        assertSame(Unknown.VALUE, resize.planned().get("host"), "a resize may move it");

        Planner.Plan rebuild = Planner.plan(type, instance("small", "img"), instance("small", "img-2"),
                instance("small", "img-2"));
        assertEquals(List.of("image"), rebuild.requiresReplace());

        Planner.Plan same = Planner.plan(type, instance("small", "img"), instance("small", "img"),
                instance("small", "img"));
        assertEquals(instance("small", "img"), same.planned(), "no change plans the prior object");
        assertNull(Planner.plan(type, instance("small", "img"), null, null).planned(), "destroy");
    }

    @Test
    void aVolumeGrowsInPlaceAndShrinkingReplacesIt() {
        Resource type = resources.get("virga_volume");
        Map<String, Object> prior = new LinkedHashMap<>(Map.of("id", "v-1", "name", "d", "size_gb", 2L,
                "volume_type", "", "status", "AVAILABLE"));
        prior.put("image_id", null);
        Map<String, Object> grow = new LinkedHashMap<>(prior);
        grow.put("size_gb", 3L);
        assertEquals(List.of(), Planner.plan(type, prior, grow, grow).requiresReplace());
        Map<String, Object> shrink = new LinkedHashMap<>(prior);
        shrink.put("size_gb", 1L);
        assertEquals(List.of("size_gb"), Planner.plan(type, prior, shrink, shrink).requiresReplace());
    }

    @Test
    void validationNamesTheAttributeAndSkipsUnknownValues() {
        List<String> problems = new ArrayList<>();
        Map<String, Object> subnet = new LinkedHashMap<>();
        subnet.put("cidr", "10.0.0.0/33");
        subnet.put("gateway_ip", Unknown.VALUE);
        subnet.put("network_id", Unknown.VALUE);
        resources.get("virga_subnet").validate(subnet, (a, m) -> problems.add(a + " " + m));
        assertEquals(List.of("cidr must be an IPv4 CIDR such as 10.0.0.0/24"), problems);

        problems.clear();
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("direction", "sideways");
        rule.put("port_range_min", 80L);
        rule.put("port_range_max", 22L);
        resources.get("virga_security_group_rule").validate(rule, (a, m) -> problems.add(a));
        assertEquals(List.of("direction", "port_range_max"), problems);

        problems.clear();
        resources.get("virga_keypair").validate(Map.of("name", "laptop", "public_key", "not a key"),
                (a, m) -> problems.add(a));
        resources.get("virga_keypair").validate(Map.of("name", "ok", "public_key",
                "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE me@host"), (a, m) -> problems.add(a));
        assertEquals(List.of("public_key"), problems);
    }
}
