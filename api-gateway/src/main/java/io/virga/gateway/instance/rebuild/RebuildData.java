package io.virga.gateway.instance.rebuild;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.virga.gateway.instance.Fault;
import io.virga.gateway.instance.InstanceStatus;
import io.virga.gateway.workflow.CompensationAware;
import java.util.HashMap;
import java.util.Map;

/** The data of {@code instance.rebuild}, decided when the request was accepted, and what it made. */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class RebuildData implements CompensationAware {
    /** The new boot image. */
    public String imageId;
    /** Size of the new boot volume (the flavor's disk, or the image's minimum). */
    public int bootSizeGb;
    /** VXLAN id per network id, for the guest's interfaces. */
    public Map<String, Integer> vnis = new HashMap<>();
    /** Prefix length and gateway per port id, for the guest's interfaces (absent in data of older builds: none). */
    public Map<String, io.virga.gateway.instance.action.GuestSpecs.Addressing> addressing = new HashMap<>();
    /** The status before the rebuild (what a refused rebuild returns to). */
    public InstanceStatus previousStatus;
    /** The boot volume being replaced (null: the instance had none). */
    public String oldVolumeId;
    /** The new boot volume, once made. */
    public String newVolumeId;
    public int newVolumeSizeGb;
    /** True once the node failed while rebuilding (the guest is then left SHUTDOWN: the instance ends ERROR). */
    public boolean nodeFailed;
    /** Set when compensation starts. */
    public Fault fault;

    @Override
    public void compensating(Fault why) {
        this.fault = why;
    }
}
