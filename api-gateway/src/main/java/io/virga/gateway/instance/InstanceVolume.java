package io.virga.gateway.instance;

/** A volume attached to an instance. */
public record InstanceVolume(String volumeId, int sizeGb, boolean boot) {
}
