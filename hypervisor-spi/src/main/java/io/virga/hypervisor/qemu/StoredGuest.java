package io.virga.hypervisor.qemu;

import io.virga.hypervisor.GuestSpec;
import io.virga.hypervisor.PowerState;
import java.util.List;

/**
 * What the driver keeps of a guest in its {@code state.json} (written atomically), so that a new driver
 * on the same state directory knows it.
 *
 * @param format     the file format, {@link #FORMAT}
 * @param spec       the guest's spec (its boot disk and boot source as last built or rebuilt)
 * @param state      the power state the driver last put it in (RUNNING/PAUSED mean "a QEMU process
 *                   should be there"; the process itself is checked on adoption)
 * @param startedAt  when it last booted (ISO-8601), or null while building
 * @param hotplugged volumes attached with {@code VolumeHotplug}, in attach order
 * @param incoming   true while it is a prepared migration destination
 */
record StoredGuest(int format, GuestSpec spec, PowerState state, String startedAt, List<GuestSpec.Disk> hotplugged,
                   boolean incoming) {
    static final int FORMAT = 1;

    StoredGuest {
        hotplugged = List.copyOf(hotplugged == null ? List.of() : hotplugged);
    }
}
