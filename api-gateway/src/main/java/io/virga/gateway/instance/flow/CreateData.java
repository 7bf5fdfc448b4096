package io.virga.gateway.instance.flow;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.virga.gateway.instance.Fault;
import io.virga.gateway.workflow.CompensationAware;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a create has learnt and made so far, persisted as the workflow's data
 * after every step, so a create resumed by another process knows it. A step
 * works on a copy and the copy is saved only with the step's outcome.
 *
 * <p>Versions ({@link CreateFlow#upgrade}): 1 = the spine's {@code SagaData}
 * (excluded hosts lived in a column of {@code sagas}); 2 = the hosts that
 * failed are in {@link #excludedHosts}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class CreateData implements CompensationAware {
    public static final int VERSION = 2;

    /** Boot volume size decided at validation (flavor disk, or the image's minimum). */
    public int bootSizeGb;
    /** The image's {@code hypervisor_type} property (e.g. qemu, runc), a placement requirement; null: any. */
    public String hypervisorType;
    /** Host traits the flavor's kind, extra specs and the image require (empty in data saved before issue 9). */
    public List<String> requiredTraits = new ArrayList<>();
    /** Host traits the flavor's extra specs and the image forbid. */
    public List<String> forbiddenTraits = new ArrayList<>();
    /** Requested availability zone (POST body), or null for any. */
    public String availabilityZone;
    /** Server group the instance joins (POST body), or null. */
    public String serverGroupId;
    /** VXLAN id of each requested network, learnt at validation (for the compute node's interfaces). */
    public Map<String, Integer> vnis = new HashMap<>();
    /** Ports made so far, by position in the requested networks. */
    public List<PortRef> ports = new ArrayList<>();
    public VolumeRef bootVolume;
    /** The volumes asked for with the create (boot_volume, volumes) and what became of them; null: none. */
    public io.virga.gateway.instance.blockdevice.BlockDevicePlan blockDevices;
    /** The claim currently held (null between hosts). */
    public ClaimRef claim;
    /** When the current spawn counts as failed if the node has not reported RUNNING (ISO-8601). */
    public String spawnDeadline;
    /** When the boot volume must be ready (ISO-8601), set on the first try. */
    public String volumeDeadline;
    /** Hosts on which spawning failed so far. */
    public int hostsTried;
    /** The hosts never to claim again for this create (they failed it). Since version 2. */
    public List<String> excludedHosts = new ArrayList<>();
    /** Why the last spawn failed, for the next step and the fault. */
    public String spawnFailure;
    /** Set when compensation starts: the fault the instance ends with. */
    public Fault fault;

    /** Records what the scheduler must match ({@link #requiredTraits}, {@link #forbiddenTraits}). */
    public void traits(io.virga.gateway.placement.TraitSpecs traits) {
        requiredTraits = new ArrayList<>(traits.required());
        forbiddenTraits = new ArrayList<>(traits.forbidden());
    }

    @Override
    public void compensating(Fault why) {
        this.fault = why;
    }

    /**
     * A port made for the instance. {@code prefixLength} and {@code gateway} are its subnet's (learnt with the
     * port; 0 / null in data saved before they were, and then the compute node assumes /24 without a route).
     */
    public record PortRef(int position, String portId, String networkId, String ip, String mac, int prefixLength,
                          String gateway) {
        public PortRef(int position, String portId, String networkId, String ip, String mac) {
            this(position, portId, networkId, ip, mac, 0, null);
        }
    }

    public record VolumeRef(String volumeId, int sizeGb) {
    }

    public record ClaimRef(String hostId, String hostName, String endpoint) {
    }
}
