package io.virga.gateway.instance;

/** A network port made for an instance ({@code position} = index in the requested networks). */
public record InstancePort(String portId, int position, String networkId, String ipAddress, String macAddress) {
}
