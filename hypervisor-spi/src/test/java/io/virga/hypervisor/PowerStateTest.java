package io.virga.hypervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class PowerStateTest {

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource({
            "BUILDING, RUNNING, true",
            "BUILDING, SHUTDOWN, false",
            "BUILDING, PAUSED, false",
            "RUNNING, RUNNING, true",
            "RUNNING, PAUSED, true",
            "RUNNING, SUSPENDED, true",
            "RUNNING, SHUTDOWN, true",
            "RUNNING, CRASHED, true",
            "RUNNING, BUILDING, false",
            "PAUSED, RUNNING, true",
            "PAUSED, SUSPENDED, true",
            "SUSPENDED, RUNNING, true",
            "SUSPENDED, PAUSED, false",
            "SHUTDOWN, RUNNING, true",
            "SHUTDOWN, PAUSED, false",
            "SHUTDOWN, SHUTDOWN, false",
            "CRASHED, RUNNING, true",
            "CRASHED, SHUTDOWN, true",
            "CRASHED, PAUSED, false",
    })
    void transitionsFollowTheDeclaredTable(PowerState from, PowerState to, boolean allowed) {
        assertEquals(allowed, from.canBecome(to));
        assertEquals(allowed, from.next().contains(to));
    }

    @ParameterizedTest
    @EnumSource(PowerState.class)
    void everyStateCanReachRunningAndNothingReturnsToBuilding(PowerState state) {
        assertTrue(state.canBecome(PowerState.RUNNING), state + " must have a way back to RUNNING");
        assertFalse(state.canBecome(PowerState.BUILDING));
    }
}
