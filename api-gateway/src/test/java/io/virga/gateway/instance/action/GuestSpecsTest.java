package io.virga.gateway.instance.action;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GuestSpecsTest {

    @Test
    void aSubnetHoldsTheAddressesOfItsPrefix() {
        assertTrue(GuestSpecs.contains("10.77.0.0/26", "10.77.0.2"));
        assertTrue(GuestSpecs.contains("10.77.0.0/26", "10.77.0.63"));
        assertFalse(GuestSpecs.contains("10.77.0.0/26", "10.77.0.64"));
        assertTrue(GuestSpecs.contains("0.0.0.0/0", "192.0.2.1"));
        assertTrue(GuestSpecs.contains("fd00:1::/64", "fd00:1::5"));
        assertFalse(GuestSpecs.contains("fd00:1::/64", "fd00:2::5"));
    }

    @Test
    void malformedOrMixedInputHoldsNothingAndIsNeverLookedUp() {
        assertFalse(GuestSpecs.contains("10.0.0.0/24", "fd00::1"));
        assertFalse(GuestSpecs.contains("10.0.0.0", "10.0.0.1"));
        assertFalse(GuestSpecs.contains("10.0.0.0/33", "10.0.0.1"));
        assertFalse(GuestSpecs.contains("10.0.0.0/x", "10.0.0.1"));
        assertFalse(GuestSpecs.contains("10.0.0.0/24", "localhost"));
        assertFalse(GuestSpecs.contains(null, "10.0.0.1"));
        assertFalse(GuestSpecs.contains("10.0.0.0/24", ""));
    }
}
