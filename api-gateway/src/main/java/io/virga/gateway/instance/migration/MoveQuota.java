package io.virga.gateway.instance.migration;

import io.virga.gateway.instance.FlavorSnapshot;
import io.virga.gateway.quota.QuotaService;
import io.virga.gateway.quota.Usage;
import java.sql.Connection;

/**
 * Quota of a resize. When accepted, the growth (new flavor above the old, per
 * resource) is reserved on top of the old flavor, so the project holds the
 * larger of the two while both guests exist. When the move ends with the
 * instance on flavor {@code end}, the project gives back what it holds above
 * {@code end}: {@code max(old, new) - end} per resource. A move without a new
 * flavor reserves and gives back nothing.
 */
final class MoveQuota {
    private MoveQuota() {
    }

    /** What to reserve when the resize is accepted. */
    static Usage growth(FlavorSnapshot old, FlavorSnapshot next) {
        return new Usage(0, Math.max(0, next.vcpus() - old.vcpus()), Math.max(0, next.ramMb() - old.ramMb()));
    }

    /** Gives back what is held above {@code end} (in {@code c}). */
    static void settle(QuotaService quota, Connection c, String projectId, FlavorSnapshot old, FlavorSnapshot next,
                       FlavorSnapshot end) {
        Usage extra = new Usage(0, Math.max(old.vcpus(), next.vcpus()) - end.vcpus(),
                Math.max(old.ramMb(), next.ramMb()) - end.ramMb());
        if (extra.vcpus() > 0 || extra.ramMb() > 0) {
            quota.release(c, projectId, extra);
        }
    }
}
