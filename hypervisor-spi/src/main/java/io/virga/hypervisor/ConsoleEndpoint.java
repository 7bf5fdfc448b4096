package io.virga.hypervisor;

/**
 * How to reach a guest's console on its host.
 *
 * @param type    VNC (a graphical console on {@code host:port}) or SERIAL (the serial log at {@code path})
 * @param host    loopback address the VNC server listens on, or {@code null} for SERIAL
 * @param port    TCP port of the VNC server, or 0 for SERIAL
 * @param path    absolute host path of the serial log, or {@code null} for VNC
 */
public record ConsoleEndpoint(Type type, String host, int port, String path) {
    public enum Type { VNC, SERIAL }
}
