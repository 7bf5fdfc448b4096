package io.virga.gateway.instance;

import static io.virga.gateway.instance.InstanceStatus.ACTIVE;
import static io.virga.gateway.instance.InstanceStatus.BUILDING;
import static io.virga.gateway.instance.InstanceStatus.DELETED;
import static io.virga.gateway.instance.InstanceStatus.DELETING;
import static io.virga.gateway.instance.InstanceStatus.ERROR;
import static io.virga.gateway.instance.InstanceStatus.PAUSED;
import static io.virga.gateway.instance.InstanceStatus.STOPPED;
import static io.virga.gateway.instance.InstanceStatus.SUSPENDED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.virga.contracts.events.v1.PowerState;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** The declared instance lifecycle and how power states map onto it. */
class InstanceTransitionsTest {

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource({
            "BUILDING, ACTIVE, true",
            "BUILDING, ERROR, true",
            "BUILDING, DELETING, true",
            "BUILDING, STOPPED, false",
            "BUILDING, DELETED, false",
            "ACTIVE, STOPPED, true",
            "ACTIVE, PAUSED, true",
            "ACTIVE, BUILDING, false",
            "STOPPED, ACTIVE, true",
            "STOPPED, PAUSED, false",
            "PAUSED, ACTIVE, true",
            "SUSPENDED, ACTIVE, true",
            "MIGRATING, ACTIVE, true",
            "RESIZING, STOPPED, true",
            "ERROR, ACTIVE, true",
            "ERROR, BUILDING, false",
            "DELETING, DELETED, true",
            "DELETING, ACTIVE, false",
            "DELETING, ERROR, false",
            "DELETED, DELETING, false",
            "DELETED, ACTIVE, false",
    })
    void declaredPairs(InstanceStatus from, InstanceStatus to, boolean allowed) {
        assertEquals(allowed, InstanceTransitions.allowed(from, to));
    }

    @ParameterizedTest
    @EnumSource(InstanceStatus.class)
    void noStatusTransitionsToItself(InstanceStatus s) {
        assertFalse(InstanceTransitions.allowed(s, s));
    }

    @ParameterizedTest
    @EnumSource(value = InstanceStatus.class, names = {"DELETING", "DELETED"}, mode = EnumSource.Mode.EXCLUDE)
    void everyLiveStatusMayBeDeleted(InstanceStatus s) {
        assertTrue(InstanceTransitions.allowed(s, DELETING));
    }

    @Test
    void deletedIsFinalAndDeletingOnlyEndsDeleted() {
        assertTrue(InstanceTransitions.targets(DELETED).isEmpty());
        assertEquals(Set.of(DELETED), InstanceTransitions.targets(DELETING));
    }

    @Test
    void everyStatusIsReachableFromBuilding() {
        Set<InstanceStatus> seen = EnumSet.of(BUILDING);
        Deque<InstanceStatus> todo = new ArrayDeque<>(seen);
        while (!todo.isEmpty()) {
            for (InstanceStatus next : InstanceTransitions.targets(todo.pop())) {
                if (seen.add(next)) {
                    todo.add(next);
                }
            }
        }
        assertEquals(EnumSet.allOf(InstanceStatus.class), seen);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "RUNNING, ACTIVE",
            "SHUTDOWN, STOPPED",
            "PAUSED, PAUSED",
            "SUSPENDED, SUSPENDED",
            "CRASHED, ERROR",
            "FAILED, ERROR",
            "DELETED, ERROR",
    })
    void powerStatesMapToStatuses(PowerState state, InstanceStatus status) {
        assertEquals(Optional.of(status), PowerStateMapping.statusOf(state));
    }

    @Test
    void buildingPowerStateImpliesNothingAndErrorsCarryAFault() {
        assertEquals(Optional.empty(), PowerStateMapping.statusOf(PowerState.BUILDING));
        assertEquals(Fault.GUEST_CRASHED, PowerStateMapping.faultOf(PowerState.CRASHED, "host-1", "oops").code());
        assertEquals("the guest crashed on host-1: oops",
                PowerStateMapping.faultOf(PowerState.CRASHED, "host-1", "oops").message());
        assertEquals(null, PowerStateMapping.faultOf(PowerState.RUNNING, "host-1", ""));
    }

    @Test
    void powerStatesOfAStoppedGuestFollowTheTable() {
        // what the consumer does: map, then apply only declared transitions
        assertTrue(InstanceTransitions.allowed(STOPPED, PowerStateMapping.statusOf(PowerState.RUNNING).get()));
        assertFalse(InstanceTransitions.allowed(STOPPED, PowerStateMapping.statusOf(PowerState.PAUSED).get()));
        assertFalse(InstanceTransitions.allowed(STOPPED, PowerStateMapping.statusOf(PowerState.SUSPENDED).get()));
        assertTrue(InstanceTransitions.allowed(SUSPENDED, ACTIVE));
        assertTrue(InstanceTransitions.allowed(PAUSED, ERROR));
    }
}
