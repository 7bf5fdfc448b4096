package io.virga.network.ipam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CidrTest {

    @ParameterizedTest
    @CsvSource({
        // cidr, first host, last host, host count
        "10.0.0.0/24, 10.0.0.1, 10.0.0.254, 254",
        "10.0.0.0/29, 10.0.0.1, 10.0.0.6, 6",
        "192.168.7.4/30, 192.168.7.5, 192.168.7.6, 2",
        "10.0.0.0/8, 10.0.0.1, 10.255.255.254, 16777214",
        "172.16.0.0/12, 172.16.0.1, 172.31.255.254, 1048574",
    })
    void validSubnetsHaveTheirHostRange(String text, String first, String last, long hosts) {
        Cidr cidr = Cidr.parse(text);
        assertEquals(text, cidr.toString());
        assertEquals(first, Ipv4.format(cidr.firstHost()));
        assertEquals(last, Ipv4.format(cidr.lastHost()));
        assertEquals(hosts, cidr.hostCount());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "10.0.0.1/24     | host bits set, did you mean 10.0.0.0/24?",
        "10.1.2.3/8      | host bits set, did you mean 10.0.0.0/8?",
        "192.168.1.5/30  | host bits set, did you mean 192.168.1.4/30?",
        "10.0.0.0/31     | prefix length must be between /8 and /30, got /31",
        "10.0.0.0/32     | prefix length must be between /8 and /30, got /32",
        "10.0.0.0/7      | prefix length must be between /8 and /30, got /7",
        "10.0.0.0/0      | prefix length must be between /8 and /30, got /0",
        "10.0.0.0        | must be an IPv4 CIDR such as 10.0.0.0/24, got 10.0.0.0",
        "10.0.0.0/       | must be an IPv4 CIDR such as 10.0.0.0/24, got 10.0.0.0/",
        "10.0.0.0/024    | must be an IPv4 CIDR such as 10.0.0.0/24, got 10.0.0.0/024",
        "10.0.0.0/abc    | must be an IPv4 CIDR such as 10.0.0.0/24, got 10.0.0.0/abc",
        "10.0.0.0/24/1   | must be an IPv4 CIDR such as 10.0.0.0/24, got 10.0.0.0/24/1",
        "10.0.0/24       | must be an IPv4 CIDR such as 10.0.0.0/24, got 10.0.0/24",
        "300.0.0.0/24    | must be an IPv4 CIDR such as 10.0.0.0/24, got 300.0.0.0/24",
        "2001:db8::/64   | only IPv4 is supported, got 2001:db8::/64",
        "127.0.0.0/8     | 127.0.0.0/8 overlaps the loopback range 127.0.0.0/8",
        "169.254.1.0/24  | 169.254.1.0/24 overlaps the link-local range 169.254.0.0/16",
        "224.0.0.0/24    | 224.0.0.0/24 overlaps the multicast range 224.0.0.0/4",
        "240.0.0.0/8     | 240.0.0.0/8 overlaps the reserved range 240.0.0.0/4",
        "0.0.0.0/8       | 0.0.0.0/8 overlaps the \"this network\" range 0.0.0.0/8",
        "169.0.0.0/8     | 169.0.0.0/8 overlaps the link-local range 169.254.0.0/16",
    })
    void badSubnetsAreRefusedWithAReadableReason(String text, String message) {
        AddressFormatException e = assertThrows(AddressFormatException.class, () -> Cidr.parse(text));
        assertEquals(message, e.getMessage());
    }

    @Test
    void emptyIsRequired() {
        assertEquals("required", assertThrows(AddressFormatException.class, () -> Cidr.parse("")).getMessage());
        assertEquals("required", assertThrows(AddressFormatException.class, () -> Cidr.parse(null)).getMessage());
    }

    @ParameterizedTest
    @CsvSource({
        "10.0.0.0/24, 10.0.0.0/24, true",
        "10.0.0.0/24, 10.0.0.128/25, true",
        "10.0.0.0/16, 10.0.200.0/24, true",
        "10.0.0.0/24, 10.0.1.0/24, false",
        "10.0.0.0/25, 10.0.0.128/25, false",
        "10.0.0.0/8, 11.0.0.0/8, false",
    })
    void overlapIsSymmetric(String a, String b, boolean overlaps) {
        assertEquals(overlaps, Cidr.parse(a).overlaps(Cidr.parse(b)));
        assertEquals(overlaps, Cidr.parse(b).overlaps(Cidr.parse(a)));
    }

    @Test
    void unusableReasonNamesNetworkBroadcastGatewayAndOutside() {
        Cidr cidr = Cidr.parse("10.0.0.0/29");
        long gateway = Ipv4.parse("10.0.0.1");
        assertEquals(Optional.of("10.0.0.0 is the network address of 10.0.0.0/29"),
                cidr.unusableReason(Ipv4.parse("10.0.0.0"), gateway));
        assertEquals(Optional.of("10.0.0.7 is the broadcast address of 10.0.0.0/29"),
                cidr.unusableReason(Ipv4.parse("10.0.0.7"), gateway));
        assertEquals(Optional.of("10.0.0.1 is the gateway address of 10.0.0.0/29"),
                cidr.unusableReason(gateway, gateway));
        assertEquals(Optional.of("10.0.0.8 is not inside 10.0.0.0/29"),
                cidr.unusableReason(Ipv4.parse("10.0.0.8"), gateway));
        assertEquals(Optional.empty(), cidr.unusableReason(Ipv4.parse("10.0.0.6"), gateway));
        assertEquals(Optional.empty(), cidr.unusableReason(gateway, -1));
    }

    @Test
    void containsIsInclusiveOfNetworkAndBroadcast() {
        Cidr cidr = Cidr.parse("10.0.0.0/30");
        assertTrue(cidr.contains(Ipv4.parse("10.0.0.0")));
        assertTrue(cidr.contains(Ipv4.parse("10.0.0.3")));
        assertFalse(cidr.contains(Ipv4.parse("10.0.0.4")));
        assertFalse(cidr.contains(Ipv4.parse("9.255.255.255")));
    }

    @Test
    void constructorRefusesNonCanonicalValues() {
        assertThrows(IllegalArgumentException.class, () -> new Cidr(Ipv4.parse("10.0.0.1"), 24));
        assertThrows(IllegalArgumentException.class, () -> new Cidr(Ipv4.parse("10.0.0.0"), 31));
    }
}
