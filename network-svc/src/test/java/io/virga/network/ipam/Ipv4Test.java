package io.virga.network.ipam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Ipv4Test {

    @ParameterizedTest
    @CsvSource({
        "0.0.0.0, 0",
        "10.0.0.1, 167772161",
        "192.168.1.255, 3232236031",
        "255.255.255.255, 4294967295",
    })
    void parsesAndFormatsDottedQuads(String text, long value) {
        assertEquals(value, Ipv4.parse(text));
        assertEquals(text, Ipv4.format(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10.0.0", "10.0.0.0.1", "10.0.0.256", "10.0.0.-1", "10.0.0.01", "010.0.0.1",
        " 10.0.0.1", "10.0.0.1 ", "10..0.1", "10.0.0.1/24", "a.b.c.d", "1000.0.0.1", "::1", "fe80::1"})
    void refusesAnythingElse(String text) {
        assertThrows(AddressFormatException.class, () -> Ipv4.parse(text));
    }

    @Test
    void ipv6IsNamedAsUnsupported() {
        AddressFormatException e = assertThrows(AddressFormatException.class, () -> Ipv4.parse("2001:db8::1"));
        assertEquals("only IPv4 is supported, got 2001:db8::1", e.getMessage());
    }

    @Test
    void formatRefusesValuesOutsideTheAddressSpace() {
        assertThrows(IllegalArgumentException.class, () -> Ipv4.format(-1));
        assertThrows(IllegalArgumentException.class, () -> Ipv4.format(Ipv4.MAX + 1));
    }
}
