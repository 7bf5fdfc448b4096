package io.virga.gateway.instance.flow;

import io.virga.gateway.instance.FlavorSnapshot;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The host traits an instance needs, from its flavor: the guest kind ({@code COMPUTE_GUEST_VM},
 * {@code COMPUTE_GUEST_CONTAINER}, {@code COMPUTE_GUEST_DESKTOP}) and, for machines, the virtualization
 * mode ({@code VIRT_MODE_FULL}, {@code VIRT_MODE_PARA}, {@code VIRT_MODE_HYBRID}). These are the names
 * hypervisor-spi's {@code GuestKind.trait()} and {@code VirtMode.trait()} give a host's driver, so a
 * container never lands on a qemu-only host and a VM never on a runc host.
 */
public final class PlacementTraits {
    private PlacementTraits() {
    }

    /** The required traits for {@code flavor}, sorted. */
    public static Set<String> of(FlavorSnapshot flavor) {
        Set<String> traits = new TreeSet<>();
        String kind = flavor.kind() == null || flavor.kind().isBlank() ? "vm" : flavor.kind();
        traits.add("COMPUTE_GUEST_" + kind.toUpperCase(Locale.ROOT));
        if (!"container".equals(kind) && flavor.virtMode() != null && !flavor.virtMode().isBlank()) {
            traits.add("VIRT_MODE_" + flavor.virtMode().toUpperCase(Locale.ROOT));
        }
        return traits;
    }
}
