package io.virga.storage.volume;

import static io.virga.platform.grpc.GrpcErrors.alreadyExists;
import static io.virga.platform.grpc.GrpcErrors.failedPrecondition;
import static io.virga.platform.grpc.GrpcErrors.notFound;

import io.virga.platform.db.Tx;
import io.virga.storage.Fields;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * The storage half of attach and detach. The gateway's workflows claim the
 * volume ({@link #beginAttach}: ATTACHING, {@link #beginDetach}: DETACHING),
 * plug or unplug it on the instance's host, and end the claim. Every method
 * is idempotent for the same (volume, instance), so a workflow step may run
 * again after a crash.
 */
@ApplicationScoped
public class Attachments {
    private final Tx tx;
    private final VolumeRepository repo;

    public Attachments(Tx tx, VolumeRepository repo) {
        this.tx = tx;
        this.repo = repo;
    }

    private record Target(String project, String volume, String instance) {
        static Target of(String projectId, String volumeId, String instanceId) {
            return new Target(Fields.reference("project_id", projectId), Fields.id("id", volumeId),
                    Fields.reference("instance_id", instanceId));
        }
    }

    /**
     * AVAILABLE (or IN_USE and multiattach) → ATTACHING for {@code instanceId}.
     * ALREADY_EXISTS when attached to it already; FAILED_PRECONDITION when
     * attached elsewhere (not multiattach), busy, or a boot volume record.
     */
    public Volume beginAttach(String projectId, String volumeId, String instanceId) {
        Target t = Target.of(projectId, volumeId, instanceId);
        return tx.run(c -> {
            Volume v = repo.find(c, t.project(), t.volume(), true).orElseThrow(() -> notFound("volume", t.volume()));
            if (v.attachments().contains(t.instance())) {
                throw alreadyExists("volume " + v.id() + " is already attached to " + t.instance());
            }
            if (v.status() == VolumeStatus.ATTACHING && t.instance().equals(v.pendingInstanceId())) {
                return v;
            }
            VolumeService.requireData(v, "attached");
            boolean free = v.status() == VolumeStatus.AVAILABLE;
            boolean shared = v.status() == VolumeStatus.IN_USE && v.multiattach();
            if (!free && !shared) {
                throw failedPrecondition("volume " + v.id() + " is " + v.status()
                        + (v.status() == VolumeStatus.IN_USE ? " (attached to " + String.join(", ", v.attachments())
                                + ") and not multiattach" : "") + "; it cannot be attached now");
            }
            Volume next = v.claim(VolumeStatus.ATTACHING, null, t.instance());
            repo.update(c, next);
            return next;
        });
    }

    /** Ends an attach claim: succeeded → attached, IN_USE; else back to where it was, error kept. */
    public Volume endAttach(String projectId, String volumeId, String instanceId, boolean succeeded, String error) {
        Target t = Target.of(projectId, volumeId, instanceId);
        return tx.run(c -> {
            Volume v = repo.find(c, t.project(), t.volume(), true).orElseThrow(() -> notFound("volume", t.volume()));
            if (v.status() != VolumeStatus.ATTACHING || !t.instance().equals(v.pendingInstanceId())) {
                return v;
            }
            Volume next;
            if (succeeded) {
                repo.addAttachment(c, v.id(), t.instance());
                List<String> all = new ArrayList<>(v.attachments());
                all.add(t.instance());
                next = v.attachedTo(VolumeStatus.IN_USE, v.ownerId(), all).settle(VolumeStatus.IN_USE, v.sizeGb(), null);
            } else {
                next = v.rollBack(error == null || error.isBlank() ? "attach failed" : "attach failed: " + error);
            }
            repo.update(c, next);
            return next;
        });
    }

    /**
     * IN_USE → DETACHING for {@code instanceId}. FAILED_PRECONDITION when the
     * volume is not attached to it, or busy.
     */
    public Volume beginDetach(String projectId, String volumeId, String instanceId) {
        Target t = Target.of(projectId, volumeId, instanceId);
        return tx.run(c -> {
            Volume v = repo.find(c, t.project(), t.volume(), true).orElseThrow(() -> notFound("volume", t.volume()));
            if (v.status() == VolumeStatus.DETACHING && t.instance().equals(v.pendingInstanceId())) {
                return v;
            }
            if (!v.attachments().contains(t.instance())) {
                throw failedPrecondition("volume " + v.id() + " is not attached to " + t.instance());
            }
            if (v.status() != VolumeStatus.IN_USE) {
                throw VolumeService.busy(v, "detached");
            }
            Volume next = v.claim(VolumeStatus.DETACHING, null, t.instance());
            repo.update(c, next);
            return next;
        });
    }

    /** Ends a detach claim: succeeded → not attached (AVAILABLE, or IN_USE for other instances); else IN_USE. */
    public Volume endDetach(String projectId, String volumeId, String instanceId, boolean succeeded, String error) {
        Target t = Target.of(projectId, volumeId, instanceId);
        return tx.run(c -> {
            Volume v = repo.find(c, t.project(), t.volume(), true).orElseThrow(() -> notFound("volume", t.volume()));
            if (v.status() != VolumeStatus.DETACHING || !t.instance().equals(v.pendingInstanceId())) {
                return v;
            }
            Volume next;
            if (succeeded) {
                repo.removeAttachment(c, v.id(), t.instance());
                next = without(v, t.instance());
            } else {
                next = v.rollBack(error == null || error.isBlank() ? "detach failed" : "detach failed: " + error);
            }
            repo.update(c, next);
            return next;
        });
    }

    /**
     * {@code v} without {@code instance} (as owner and as attachment): IN_USE
     * while anything else holds it, else AVAILABLE. A claim of another
     * operation (extending, …) is kept.
     */
    static Volume without(Volume v, String instance) {
        List<String> rest = new ArrayList<>(v.attachments());
        rest.remove(instance);
        String owner = instance.equals(v.ownerId()) ? null : v.ownerId();
        boolean claimOfThis = (v.status() == VolumeStatus.ATTACHING || v.status() == VolumeStatus.DETACHING)
                && instance.equals(v.pendingInstanceId());
        if (v.status().transientState() && !claimOfThis) {
            return v;
        }
        VolumeStatus next = rest.isEmpty() && owner == null ? VolumeStatus.AVAILABLE : VolumeStatus.IN_USE;
        if (v.status() == VolumeStatus.ERROR) {
            next = VolumeStatus.ERROR;
        }
        return v.attachedTo(next, owner, rest);
    }
}
