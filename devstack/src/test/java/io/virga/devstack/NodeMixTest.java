package io.virga.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NodeMixTest {

    @Test
    void aBareCountIsThatManySimNodes() {
        assertEquals(List.of("sim", "sim"), NodeMix.parse("2").drivers());
    }

    @Test
    void driversAreGivenToHostsInOrderAndOnlyNonSimNodesGetAProperty() {
        NodeMix mix = NodeMix.parse("sim:2,qemu:1,runc:1");
        assertEquals(List.of("sim", "sim", "qemu", "runc"), mix.drivers());
        assertEquals("sim:2,qemu:1,runc:1", mix.toString());
        SupervisorOptions options = mix.applyTo(SupervisorOptions.builder(java.nio.file.Path.of("/tmp")).freePorts())
                .build();
        assertEquals(4, options.computeNodes());
        assertEquals("qemu", options.extraProperties().get("host-3").get("virga.compute.driver"));
        assertEquals("runc", options.extraProperties().get("host-4").get("virga.compute.driver"));
        assertTrue(!options.extraProperties().containsKey("host-1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"xen:1", "sim", "sim:x", "sim:1,,qemu:1", "qemu:1:2"})
    void badMixesAreRefusedNamingThePart(String text) {
        assertThrows(IllegalArgumentException.class, () -> NodeMix.parse(text));
    }

    @Test
    void theDefaultHasThreeSimNodesFirst() {
        assertEquals(List.of("sim", "sim", "sim"), NodeMix.defaults().drivers().subList(0, 3));
    }
}
