package io.virga.gateway.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PowerStateTest {
    @Test
    void aRunningInstanceOfAHostThatWentDownIsUnknown() {
        assertEquals(PowerState.RUNNING, PowerState.of(InstanceStatus.ACTIVE, false));
        assertEquals(PowerState.UNKNOWN, PowerState.of(InstanceStatus.ACTIVE, true));
        assertEquals(PowerState.SHUTDOWN, PowerState.of(InstanceStatus.STOPPED, false));
        assertEquals(PowerState.UNKNOWN, PowerState.of(InstanceStatus.STOPPED, true));
        assertEquals(PowerState.PAUSED, PowerState.of(InstanceStatus.PAUSED, false));
        assertEquals(PowerState.SUSPENDED, PowerState.of(InstanceStatus.SUSPENDED, false));
        assertEquals(PowerState.RUNNING, PowerState.of(InstanceStatus.VERIFY_RESIZE, false));
    }

    @Test
    void anInstanceWithoutAGuestHasNoStateWhateverItsHost() {
        for (InstanceStatus s : new InstanceStatus[] {InstanceStatus.BUILDING, InstanceStatus.REBUILDING,
                InstanceStatus.ERROR, InstanceStatus.DELETING, InstanceStatus.DELETED}) {
            assertEquals(PowerState.NOSTATE, PowerState.of(s, false), s.name());
            assertEquals(PowerState.NOSTATE, PowerState.of(s, true), s.name());
        }
    }
}
