package io.virga.hypervisor;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A hypervisor driver: runs guests on one host. The base capability every
 * driver has; optional ones are separate interfaces a driver may also
 * implement ({@link PowerControl}, {@link Pausable}), and each becomes a host
 * trait (see {@link Traits}).
 *
 * <p>Thread safety: every method may be called from many threads at once.
 * Calls for different instance ids must not block each other longer than
 * bookkeeping takes; calls for the same id are serialized by the driver.
 *
 * <p>Resource accounting: every guest the driver knows, whatever its power
 * state (BUILDING and SHUTDOWN included), holds its RAM and disk until it is
 * destroyed, so that starting a stopped guest never fails for capacity. vCPUs
 * are time-shared, as on a real host: their total may exceed the host's (how
 * far is the scheduler's allocation ratio), but one guest may not have more
 * vCPUs than the host has.
 *
 * <p>Every driver passes the conformance suite {@code HypervisorConformanceTest}
 * (published in this module's test-jar).
 */
public interface Hypervisor {

    /** The driver's name, lower case: {@code sim}, {@code qemu}, {@code runc}. Constant. */
    String type();

    /** The host's total capacity for guests (not what is free). Constant while the driver lives. */
    HostCapacity capacity();

    /**
     * What this host can do, as scheduler traits: at least {@link Traits#computeType(String)} of
     * {@link #type()}, the {@link GuestKind#trait()} of every kind and the {@link VirtMode#trait()} of
     * every mode it runs, and
     * {@link Traits#capabilities(Hypervisor)} of the optional interfaces it implements.
     * Upper-case, constant while the driver lives.
     */
    Set<String> traits();

    /**
     * Builds and boots a guest, blocking until it runs.
     *
     * <p>Precondition: {@code spec} is valid (records validate themselves).
     * <p>Postcondition on return: the guest is {@link PowerState#RUNNING}, holds
     * the spec's resources, and {@link #status(String)} and {@link #list()} show it.
     * While the call runs, the guest may be visible as {@link PowerState#BUILDING}.
     * <p>Idempotency: when a guest of the same instance id already exists with the
     * same vCPUs and RAM, no second guest is made: the call returns its status
     * (waiting for a build under way to finish, and failing as that build fails).
     * A guest of that id with different resources is a {@link GuestConflictException}.
     * <p>Failure: throws and leaves nothing behind (no guest, no reservation, no
     * files); the same spec may be spawned again.
     *
     * @return the guest's status, RUNNING
     * @throws CapacityExceededException when the host lacks free RAM or disk, or has fewer vCPUs than
     *                                   the guest, e.g.
     *                                   {@code "host-1 has 2048 MB RAM free, guest needs 4096 MB"}
     * @throws GuestConflictException    when the id exists with a different spec
     * @throws HypervisorException       for any other failure, with a readable message
     */
    GuestStatus spawn(GuestSpec spec);

    /**
     * Stops the guest (hard, at once) and removes it and its local state,
     * releasing its resources. A build under way for that id fails.
     * <p>Idempotent: destroying an unknown or already destroyed guest does nothing.
     *
     * @return true when the guest existed
     * @throws HypervisorException when the guest exists but cannot be removed; it then stays listed
     */
    boolean destroy(String instanceId);

    /** The guest's current status, or empty when the driver does not know it. Never throws for an unknown id. */
    Optional<GuestStatus> status(String instanceId);

    /** Every guest the driver knows (any power state), in no particular order. */
    List<GuestStatus> list();
}
