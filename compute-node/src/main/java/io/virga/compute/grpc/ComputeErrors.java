package io.virga.compute.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.virga.compute.events.EventQueueFullException;
import io.virga.compute.guest.GuestBusyException;
import io.virga.compute.guest.MissingCapabilityException;
import io.virga.compute.guest.WorkQueueFullException;
import io.virga.hypervisor.CapacityExceededException;
import io.virga.hypervisor.GuestConflictException;
import io.virga.hypervisor.GuestNotFoundException;
import io.virga.hypervisor.HypervisorException;
import io.virga.hypervisor.InvalidGuestSpecException;
import java.util.concurrent.RejectedExecutionException;
import org.jboss.logging.Logger;

/**
 * The compute contract's error codes for what the node and its driver throw:
 *
 * <pre>
 * thrown                                   | gRPC status
 * -----------------------------------------+---------------------------------------------
 * MissingCapabilityException               | UNIMPLEMENTED, naming the trait
 * GuestNotFoundException                   | NOT_FOUND "guest i-… not found"
 * GuestConflictException                   | FAILED_PRECONDITION, naming the power state
 * CapacityExceededException                | RESOURCE_EXHAUSTED, what is free and needed
 * WorkQueueFull / EventQueueFullException  | RESOURCE_EXHAUSTED, which queue is full
 * InvalidGuestSpecException                | INVALID_ARGUMENT "field: reason"
 * GuestBusyException                       | UNAVAILABLE (retry later)
 * RejectedExecutionException               | UNAVAILABLE (the node is shutting down)
 * HypervisorException (other)              | INTERNAL, the driver's message
 * StatusRuntimeException                   | unchanged
 * </pre>
 */
final class ComputeErrors {
    private static final Logger LOG = Logger.getLogger(ComputeErrors.class);

    private ComputeErrors() {
    }

    static StatusRuntimeException toStatus(Throwable t) {
        if (t instanceof StatusRuntimeException s) {
            return s;
        }
        Status status;
        if (t instanceof MissingCapabilityException) {
            status = Status.UNIMPLEMENTED;
        } else if (t instanceof GuestNotFoundException) {
            status = Status.NOT_FOUND;
        } else if (t instanceof GuestConflictException) {
            status = Status.FAILED_PRECONDITION;
        } else if (t instanceof CapacityExceededException || t instanceof WorkQueueFullException
                || t instanceof EventQueueFullException) {
            status = Status.RESOURCE_EXHAUSTED;
        } else if (t instanceof InvalidGuestSpecException e) {
            return SpawnRequests.invalid("", e);
        } else if (t instanceof GuestBusyException || t instanceof RejectedExecutionException) {
            status = Status.UNAVAILABLE;
        } else if (t instanceof HypervisorException) {
            status = Status.INTERNAL;
        } else {
            LOG.errorf(t, "unexpected failure");
            status = Status.INTERNAL;
            return status.withDescription("internal error: " + t).asRuntimeException();
        }
        return status.withDescription(t.getMessage()).asRuntimeException();
    }
}
