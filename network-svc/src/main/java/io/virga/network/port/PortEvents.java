package io.virga.network.port;

import io.virga.contracts.events.v1.PortChanged;
import io.virga.network.ipam.Ipv4;

/** Payloads of the port events on topic {@code virga.network.ports}. */
final class PortEvents {
    private PortEvents() {
    }

    static PortChanged changed(Port port) {
        return PortChanged.newBuilder()
                .setPortId(port.id())
                .setProjectId(port.projectId())
                .setNetworkId(port.networkId())
                .setDeviceId(port.deviceId())
                .setIpAddress(Ipv4.format(port.ip()))
                .setMacAddress(port.macAddress())
                .build();
    }
}
