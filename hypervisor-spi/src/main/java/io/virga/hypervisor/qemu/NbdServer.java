package io.virga.hypervisor.qemu;

import io.virga.hypervisor.HypervisorException;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The NBD server of a live-migration destination's QEMU. QEMU cannot tell which port it bound for an
 * NBD server started on port 0, so a port is drawn from 20000–32000 (outside Linux's ephemeral range,
 * where outgoing connections take theirs) and QEMU itself binds it: a port someone else holds makes
 * QEMU answer an error, and another is drawn. There is no window in which the port is free but promised.
 */
final class NbdServer {
    private static final int FIRST = 20000;
    private static final int LAST = 32000;
    private static final int ATTEMPTS = 50;

    private NbdServer() {
    }

    /**
     * Starts the NBD server of {@code g}'s QEMU on {@code address} and returns its port.
     *
     * @throws HypervisorException when no port could be bound after {@value #ATTEMPTS} draws, or QEMU refuses
     */
    static int start(QemuRuntime rt, QemuGuest g, String address) {
        QmpException last = null;
        for (int i = 0; i < ATTEMPTS; i++) {
            int port = ThreadLocalRandom.current().nextInt(FIRST, LAST);
            try {
                rt.qmp(g, "nbd-server-start", Map.of("addr", Map.of("type", "inet",
                        "data", Map.of("host", address, "port", String.valueOf(port)))));
                return port;
            } catch (QmpException e) {
                if (e.errorClass() == null || !e.getMessage().contains("in use")) {
                    throw e;
                }
                last = e;
            }
        }
        throw new HypervisorException("no free port for the NBD server of guest " + g.id + " after " + ATTEMPTS
                + " tries: " + last.getMessage());
    }
}
