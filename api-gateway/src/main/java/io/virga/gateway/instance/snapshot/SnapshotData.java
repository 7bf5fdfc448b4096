package io.virga.gateway.instance.snapshot;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.virga.gateway.instance.Fault;
import io.virga.gateway.workflow.CompensationAware;

/** The data of {@code instance.snapshot}: the new image's name and, once made, its id. */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class SnapshotData implements CompensationAware {
    /** The new image's name. */
    public String name;
    /** The new image, once created (also findable by its {@code snapshot_operation} property). */
    public String imageId;
    /** Set when compensation starts. */
    public Fault fault;

    @Override
    public void compensating(Fault why) {
        this.fault = why;
    }
}
