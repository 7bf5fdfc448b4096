package io.virga.hypervisor.qemu;

import io.virga.hypervisor.AttachmentType;
import io.virga.hypervisor.GuestSpec;
import io.virga.hypervisor.HypervisorException;
import io.virga.hypervisor.InvalidGuestSpecException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The host side of a VM's NICs: persistent tap devices ({@code ip tuntap}), enslaved to the named bridge
 * and brought up. Made before QEMU starts (QEMU opens them by name), kept while the guest is stopped,
 * removed when it is destroyed.
 */
final class TapDevices {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private TapDevices() {
    }

    /** Makes (or finds) the tap devices of the guest's TAP NICs. Idempotent. */
    static void ensure(GuestSpec spec) {
        for (int i = 0; i < spec.interfaces().size(); i++) {
            GuestSpec.NetworkInterface nic = spec.interfaces().get(i);
            if (nic.attachment().type() != AttachmentType.TAP) {
                continue;
            }
            if (nic.attachment().namespace() != null) {
                throw new InvalidGuestSpecException("interfaces[" + i + "].attachment.namespace",
                        "the qemu driver attaches taps to bridges in the host's own namespace only");
            }
            String tap = QemuCommandLine.tapName(nic);
            if (!Files.exists(Path.of("/sys/class/net", tap))) {
                ip("tuntap", "add", "dev", tap, "mode", "tap");
            }
            if (nic.attachment().mtu() > 0) {
                ip("link", "set", "dev", tap, "mtu", String.valueOf(nic.attachment().mtu()));
            }
            if (nic.attachment().bridge() != null) {
                ip("link", "set", "dev", tap, "master", nic.attachment().bridge());
            }
            ip("link", "set", "dev", tap, "up");
        }
    }

    /** Removes the guest's tap devices; those already gone are skipped. */
    static void remove(GuestSpec spec) {
        for (GuestSpec.NetworkInterface nic : spec.interfaces()) {
            if (nic.attachment().type() != AttachmentType.TAP) {
                continue;
            }
            String tap = QemuCommandLine.tapName(nic);
            if (Files.exists(Path.of("/sys/class/net", tap))) {
                try {
                    ip("link", "del", "dev", tap);
                } catch (HypervisorException e) {
                    if (Files.exists(Path.of("/sys/class/net", tap))) {
                        throw e;
                    }
                }
            }
        }
    }

    private static void ip(String... args) {
        List<String> argv = new ArrayList<>(List.of("ip"));
        argv.addAll(List.of(args));
        QemuProcesses.run(argv, TIMEOUT);
    }
}
