package io.virga.hypervisor.qemu;

import io.virga.hypervisor.ConsoleEndpoint;
import io.virga.hypervisor.GuestConflictException;
import io.virga.hypervisor.HypervisorException;
import io.virga.hypervisor.PowerState;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.util.Optional;

/**
 * A guest's VNC server. QEMU serves it on a unix socket in the guest's run directory
 * ({@code -vnc unix:<runDir>/vnc.sock}, see {@link QemuCommandLine}): only this host's processes that may
 * enter that directory reach it, and no TCP port is shared between guests. A guest adopted from an older
 * driver that still listens on loopback TCP is found through QMP {@code query-vnc}.
 */
final class VncConsole {
    private final QemuRuntime rt;

    VncConsole(QemuRuntime rt) {
        this.rt = rt;
    }

    /** Where the running (or paused) guest's VNC server listens; empty when it has none now. */
    Optional<ConsoleEndpoint> endpoint(QemuGuest g) {
        if (g.state() != PowerState.RUNNING && g.state() != PowerState.PAUSED) {
            return Optional.empty();
        }
        if (Files.exists(g.files.vncSocket())) {
            return Optional.of(new ConsoleEndpoint(ConsoleEndpoint.Type.VNC, null, 0, g.files.vncSocket().toString()));
        }
        if (!g.lock.tryLock()) {
            return Optional.empty();
        }
        try {
            var vnc = rt.qmp(g, "query-vnc", null);
            if (vnc.path("enabled").asBoolean(false) && !"unix".equals(vnc.path("family").asText())) {
                return Optional.of(new ConsoleEndpoint(ConsoleEndpoint.Type.VNC, vnc.path("host").asText("127.0.0.1"),
                        Integer.parseInt(vnc.path("service").asText("0")), null));
            }
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty(); // no VNC to offer while QEMU does not answer
        } finally {
            g.lock.unlock();
        }
    }

    /** A new blocking connection to the guest's VNC server (see {@link io.virga.hypervisor.GraphicalConsole}). */
    java.nio.channels.SocketChannel open(String id) {
        QemuGuest g = rt.guest(id);
        ConsoleEndpoint e = endpoint(g).orElseThrow(() -> new GuestConflictException(
                "guest " + id + " is " + g.state() + " and has no graphical console now"));
        SocketAddress address = e.path() != null ? UnixDomainSocketAddress.of(e.path())
                : new InetSocketAddress(e.host(), e.port());
        try {
            return java.nio.channels.SocketChannel.open(address);
        } catch (IOException ex) {
            throw new HypervisorException("cannot reach the VNC server of guest " + id + ": " + ex.getMessage(), ex);
        }
    }
}
