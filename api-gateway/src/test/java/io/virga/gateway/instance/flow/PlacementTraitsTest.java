package io.virga.gateway.instance.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.virga.gateway.instance.FlavorSnapshot;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlacementTraitsTest {

    @ParameterizedTest(name = "{0}/{1} needs {2}")
    @CsvSource({
            "vm,        full,   'COMPUTE_GUEST_VM VIRT_MODE_FULL'",
            "vm,        para,   'COMPUTE_GUEST_VM VIRT_MODE_PARA'",
            "desktop,   hybrid, 'COMPUTE_GUEST_DESKTOP VIRT_MODE_HYBRID'",
            "container, hybrid, 'COMPUTE_GUEST_CONTAINER'",
            "container, ,       'COMPUTE_GUEST_CONTAINER'",
    })
    void aFlavorsKindAndVirtModeBecomeRequiredTraits(String kind, String mode, String expected) {
        FlavorSnapshot flavor = new FlavorSnapshot("f-1", "x", 1, 256, 1, kind, mode);
        assertEquals(Set.of(expected.split(" ")), PlacementTraits.of(flavor));
    }
}
