package io.virga.storage.volume;

import java.time.Instant;

/** A snapshot of a volume: its data frozen at one moment (sizeGb = the volume's size then). */
public record Snapshot(String id, String projectId, String volumeId, String name, int sizeGb, SnapshotStatus status,
        String error, Instant createdAt) {

    public Snapshot with(SnapshotStatus next, String why) {
        return new Snapshot(id, projectId, volumeId, name, sizeGb, next, why, createdAt);
    }
}
