package io.virga.hypervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GuestSpecTest {
    private static final GuestSpec.NetworkInterface NIC = new GuestSpec.NetworkInterface("p-1", "52:54:00:00:00:01", "10.0.0.5", 100);
    private static final GuestSpec.Disk DISK = new GuestSpec.Disk("v-1", 10, true, "img-1");

    static Stream<Arguments> invalidSpecs() {
        return Stream.of(
                bad("instanceId", () -> GuestSpec.builder("").build()),
                bad("instanceId", () -> GuestSpec.builder("../etc/passwd").build()),
                bad("instanceId", () -> GuestSpec.builder("a".repeat(65)).build()),
                bad("name", () -> GuestSpec.builder("i-1").name(" ").build()),
                bad("name", () -> GuestSpec.builder("i-1").name("a\nb").build()),
                bad("name", () -> GuestSpec.builder("i-1").name("x".repeat(256)).build()),
                bad("vcpus", () -> GuestSpec.builder("i-1").vcpus(0).build()),
                bad("ramMb", () -> GuestSpec.builder("i-1").ramMb(0).build()),
                bad("diskGb", () -> GuestSpec.builder("i-1").diskGb(-1).build()),
                bad("kind", () -> GuestSpec.builder("i-1").kind(null).build()),
                bad("virtMode", () -> GuestSpec.builder("i-1").virtMode(null).build()),
                bad("userData", () -> GuestSpec.builder("i-1").userData("x".repeat(65_536)).build()),
                bad("portId", () -> new GuestSpec.NetworkInterface("", "52:54:00:00:00:01", null, 1)),
                bad("mac", () -> new GuestSpec.NetworkInterface("p-1", "52:54:00:00:00", null, 1)),
                bad("mac", () -> new GuestSpec.NetworkInterface("p-1", "01:00:5e:00:00:01", null, 1)),
                bad("ip", () -> new GuestSpec.NetworkInterface("p-1", "52:54:00:00:00:01", "10.0.0.256", 1)),
                bad("ip", () -> new GuestSpec.NetworkInterface("p-1", "52:54:00:00:00:01", "example.com", 1)),
                bad("ip", () -> new GuestSpec.NetworkInterface("p-1", "52:54:00:00:00:01", "fe80::1::2", 1)),
                bad("vni", () -> new GuestSpec.NetworkInterface("p-1", "52:54:00:00:00:01", null, 0)),
                bad("vni", () -> new GuestSpec.NetworkInterface("p-1", "52:54:00:00:00:01", null, 1 << 24)),
                bad("prefixLength", () -> new GuestSpec.NetworkInterface("p-1", "52:54:00:00:00:01", "10.0.0.5", 1, null, 33, null)),
                bad("prefixLength", () -> new GuestSpec.NetworkInterface("p-1", "52:54:00:00:00:01", "fd00::5", 1, null, -1, null)),
                bad("gateway", () -> new GuestSpec.NetworkInterface("p-1", "52:54:00:00:00:01", "10.0.0.5", 1, null, 24, "fd00::1")),
                bad("gateway", () -> new GuestSpec.NetworkInterface("p-1", "52:54:00:00:00:01", null, 1, null, 0, "10.0.0.1")),
                bad("gateway", () -> new GuestSpec.NetworkInterface("p-1", "52:54:00:00:00:01", "10.0.0.5", 1, null, 24, "gw")),
                bad("volumeId", () -> new GuestSpec.Disk(" ", 1, false, null)),
                bad("sizeGb", () -> new GuestSpec.Disk("v-1", 0, false, null)),
                bad("interfaces[1].portId", () -> GuestSpec.builder("i-1").addInterface(NIC).addInterface(NIC).build()),
                bad("interfaces[1].mac", () -> GuestSpec.builder("i-1").addInterface(NIC)
                        .addInterface(new GuestSpec.NetworkInterface("p-2", "52:54:00:00:00:01", null, 100)).build()),
                bad("disks[1].volumeId", () -> GuestSpec.builder("i-1").addDisk(DISK).addDisk(DISK).build()),
                bad("disks[1].boot", () -> GuestSpec.builder("i-1").addDisk(DISK)
                        .addDisk(new GuestSpec.Disk("v-2", 1, true, null)).build()));
    }

    private static Arguments bad(String field, Supplier<Object> make) {
        return Arguments.of(field, make);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalidSpecs")
    void invalidValuesAreRejectedNamingTheField(String field, Supplier<Object> make) {
        InvalidGuestSpecException e = assertThrows(InvalidGuestSpecException.class, make::get);
        assertEquals(field, e.field(), e.getMessage());
        assertEquals(field + ": " + e.reason(), e.getMessage());
    }

    @Test
    void aValidSpecKeepsItsValuesAndNormalizes() {
        GuestSpec spec = GuestSpec.builder("i-1").name("web 1").vcpus(2).ramMb(2048).diskGb(20)
                .kind(GuestKind.CONTAINER).virtMode(VirtMode.HYBRID)
                .addInterface(new GuestSpec.NetworkInterface("p-1", "52:54:00:AB:CD:EF", "fd00::5", 7))
                .addInterface(new GuestSpec.NetworkInterface("p-2", "52:54:00:00:00:02", "", 7))
                .addDisk(DISK).userData(null).build();
        assertEquals("52:54:00:ab:cd:ef", spec.interfaces().get(0).mac());
        assertEquals("fd00::5", spec.interfaces().get(0).ip());
        assertNull(spec.interfaces().get(1).ip());
        assertEquals("", spec.userData());
        assertEquals(2, spec.interfaces().size());
        assertThrows(UnsupportedOperationException.class, () -> spec.disks().add(DISK));
    }

    @Test
    void wireNamesRoundTripAndUnknownOnesNameTheChoices() {
        for (GuestKind k : GuestKind.values()) {
            assertEquals(k, GuestKind.fromWire(k.wireName()));
        }
        for (VirtMode m : VirtMode.values()) {
            assertEquals(m, VirtMode.fromWire(m.wireName()));
        }
        assertEquals("must be one of full, para, hybrid, got 'PARA'",
                assertThrows(IllegalArgumentException.class, () -> VirtMode.fromWire("PARA")).getMessage());
        assertEquals("must be one of vm, container, desktop, got 'lxc'",
                assertThrows(IllegalArgumentException.class, () -> GuestKind.fromWire("lxc")).getMessage());
    }

    @org.junit.jupiter.api.Test
    void aNicUsesItsSubnetsPrefixOrTheFamilysDefault() {
        org.junit.jupiter.api.Assertions.assertEquals(26,
                new GuestSpec.NetworkInterface("p-1", "52:54:00:00:00:01", "10.0.0.5", 1, null, 26, "10.0.0.1").effectivePrefix());
        org.junit.jupiter.api.Assertions.assertEquals(24, NIC.effectivePrefix());
        org.junit.jupiter.api.Assertions.assertEquals(64,
                new GuestSpec.NetworkInterface("p-1", "52:54:00:00:00:01", "fd00::5", 1).effectivePrefix());
    }
}
