package io.virga.gateway.audit;

/**
 * One disagreement the consistency audit found.
 *
 * @param kind       what disagrees (see {@link Kind})
 * @param resourceId the port, volume or guest (instance id) concerned
 * @param instanceId the instance it belongs to, or claims to
 * @param projectId  the project, or null for a guest on a host
 * @param host       the host name for guests, else null
 * @param detail     one readable sentence
 * @param repaired   true when {@code repair} fixed it in this run
 */
public record AuditFinding(Kind kind, String resourceId, String instanceId, String projectId, String host,
                           String detail, boolean repaired) {
    /** The kinds of disagreement, each with whether the audit may repair it. */
    public enum Kind {
        /** A port bound to an instance that no longer exists; repair deletes it. */
        ORPHAN_PORT(true),
        /** A volume still owned by an instance that no longer exists; reported (its data may matter). */
        ORPHAN_VOLUME(false),
        /** A guest running on a host where no live instance is placed; repair hands it to the orphan reaper. */
        ORPHAN_GUEST(true),
        /** A port the instance records that network-svc does not have. */
        MISSING_PORT(false),
        /** A volume the instance records that storage-svc does not have. */
        MISSING_VOLUME(false),
        /** An ACTIVE, STOPPED, PAUSED or SUSPENDED instance whose host has no guest for it. */
        MISSING_GUEST(false),
        /** A host that is UP but did not answer the audit's guest listing. */
        UNREACHABLE_HOST(false);

        private final boolean repairable;

        Kind(boolean repairable) {
            this.repairable = repairable;
        }

        public boolean repairable() {
            return repairable;
        }
    }
}
