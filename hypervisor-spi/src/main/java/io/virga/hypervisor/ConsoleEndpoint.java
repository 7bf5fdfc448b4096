package io.virga.hypervisor;

/**
 * How to reach a guest's console on its host.
 *
 * @param type    VNC (a graphical console on the unix socket {@code path}, or on loopback {@code host:port})
 *                or SERIAL (the serial log at {@code path})
 * @param host    loopback address a TCP VNC server listens on, or {@code null} (SERIAL, or VNC on a unix socket)
 * @param port    TCP port of a TCP VNC server, or 0
 * @param path    absolute host path of the serial log or of the VNC unix socket, or {@code null} for TCP VNC
 */
public record ConsoleEndpoint(Type type, String host, int port, String path) {
    public enum Type { VNC, SERIAL }
}
