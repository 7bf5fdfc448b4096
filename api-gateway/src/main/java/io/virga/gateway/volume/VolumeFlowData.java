package io.virga.gateway.volume;

import io.virga.gateway.instance.Fault;
import io.virga.gateway.workflow.CompensationAware;
import java.util.ArrayList;
import java.util.List;

/** Data of the volume workflows (attach, detach, extend of an attached volume); saved as JSON. */
public final class VolumeFlowData implements CompensationAware {
    public String projectId;
    /** attach / detach: the instance. */
    public String instanceId;
    /** attach / detach: the instance's compute node (gRPC endpoint); null when it has none. */
    public String hostEndpoint;
    /** attach: where the volume's file is, learnt from the claim. */
    public String path;
    public String format;
    /** attach: the volume's size; extend: the size asked for. */
    public int sizeGb;
    /** extend: the guests to tell, as instance id and node endpoint. */
    public List<Guest> guests = new ArrayList<>();
    public Fault fault;

    /** One guest the volume is attached to. */
    public static final class Guest {
        public String instanceId;
        public String hostEndpoint;
    }

    @Override
    public void compensating(Fault why) {
        this.fault = why;
    }
}
