package io.virga.gateway.placement.audit;

import java.time.Instant;

/**
 * How the audit judges one scheduler claim against the gateway's records. Only facts older than the audit's
 * start count (a row changed since may belong to work in flight), so a claim is never called an orphan because
 * a create, delete or move is half-way.
 *
 * <pre>
 * consumer   gateway record                                               verdict
 * ---------- ------------------------------------------------------------ ----------------------------------
 * i-…        none                                                         ORPHAN  instance does not exist
 * i-…        DELETED before the audit started                             ORPHAN  instance deleted
 * i-…        ERROR without a host, no task, unchanged since the start     ORPHAN  instance failed
 * i-…        settled on another host than the claim's, no open move,      MISMATCH (reported, never repaired)
 *            unchanged since the start
 * i-…        anything else                                                OK
 * mig-…      none                                                         ORPHAN  migration does not exist
 * mig-…      final (confirmed, reverted, completed, error) before start   ORPHAN  migration over
 * mig-…      open                                                         OK
 * other      -                                                            ORPHAN  not a consumer of this cloud
 * </pre>
 */
public record ClaimVerdict(Kind kind, String reason) {
    public enum Kind { OK, ORPHAN, MISMATCH }

    static final ClaimVerdict OK = new ClaimVerdict(Kind.OK, null);

    /**
     * @param claimHost the host of the claim
     * @param instance  the instance named by the consumer id, or null (also null for a migration consumer)
     * @param migration the migration named by the consumer id, or null
     * @param moving    whether the instance has an open migration
     * @param started   when the audit started
     */
    static ClaimVerdict judge(String consumerId, String claimHost, AuditFacts.InstanceFact instance,
                              AuditFacts.MigrationFact migration, boolean moving, Instant started) {
        if (consumerId.startsWith("i-")) {
            return instance(claimHost, instance, moving, started);
        }
        if (consumerId.startsWith("mig-")) {
            if (migration == null) {
                return orphan("migration does not exist");
            }
            boolean over = switch (migration.status()) {
                case "confirmed", "reverted", "completed", "error" -> true;
                default -> false;
            };
            return over && migration.updatedAt().isBefore(started) ? orphan("migration " + migration.status()) : OK;
        }
        return orphan("not an instance or migration of this cloud");
    }

    private static ClaimVerdict instance(String claimHost, AuditFacts.InstanceFact i, boolean moving,
                                         Instant started) {
        if (i == null) {
            return orphan("instance does not exist");
        }
        if ("DELETED".equals(i.status())) {
            return i.deletedAt() != null && i.deletedAt().isBefore(started) ? orphan("instance deleted") : OK;
        }
        boolean stable = i.settled() && i.updatedAt().isBefore(started);
        if (!stable) {
            return OK;
        }
        if ("ERROR".equals(i.status()) && i.hostId() == null) {
            return orphan("instance failed (ERROR without a host)");
        }
        if (i.hostId() != null && !i.hostId().equals(claimHost) && !moving) {
            return new ClaimVerdict(Kind.MISMATCH, "instance is on " + i.hostId() + ", its claim on " + claimHost);
        }
        return OK;
    }

    private static ClaimVerdict orphan(String reason) {
        return new ClaimVerdict(Kind.ORPHAN, reason);
    }
}
