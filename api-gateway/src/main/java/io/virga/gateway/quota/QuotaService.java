package io.virga.gateway.quota;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.virga.gateway.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Quotas per project: instances, vcpus, ram_mb.
 *
 * <p>{@link #reserve} is atomic (row lock on the project's quota row, held until the
 * caller's transaction ends): either the whole amount fits and usage grows, or
 * {@link ApiException#quotaExceeded} ("quota exceeded: ram_mb 8192 + 4096 > 10240") and
 * nothing changes. {@link #release} decreases usage, never below 0. Both run in the
 * caller's transaction: the change is undone if that transaction rolls back.
 */
@ApplicationScoped
public class QuotaService {
    private final Counter rejections;

    public QuotaService(MeterRegistry meters) {
        this.rejections = meters.counter("virga.gateway.quota.rejections");
    }

    /**
     * Adds {@code amount} to the project's usage if every resulting figure stays within its limit.
     *
     * @throws ApiException 403 quota-exceeded (nothing changed), 404 if the project has no quota row
     */
    public void reserve(Connection tx, String projectId, Usage amount) {
        try {
            QuotaRow row = lock(tx, projectId);
            List<String> over = new ArrayList<>();
            check(over, "instances", row.used().instances(), amount.instances(), row.limits().instances());
            check(over, "vcpus", row.used().vcpus(), amount.vcpus(), row.limits().vcpus());
            check(over, "ram_mb", row.used().ramMb(), amount.ramMb(), row.limits().ramMb());
            if (!over.isEmpty()) {
                rejections.increment();
                throw ApiException.quotaExceeded("quota exceeded: " + String.join(", ", over));
            }
            try (PreparedStatement ps = tx.prepareStatement("UPDATE project_quotas SET used_instances = used_instances + ?,"
                    + " used_vcpus = used_vcpus + ?, used_ram_mb = used_ram_mb + ? WHERE project_id = ?")) {
                ps.setInt(1, amount.instances());
                ps.setInt(2, amount.vcpus());
                ps.setLong(3, amount.ramMb());
                ps.setString(4, projectId);
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("quota reserve failed for " + projectId, e);
        }
    }

    /** Subtracts {@code amount} from the project's usage; each figure stops at 0. Unknown project: no-op. */
    public void release(Connection tx, String projectId, Usage amount) {
        try (PreparedStatement ps = tx.prepareStatement("UPDATE project_quotas SET"
                + " used_instances = GREATEST(used_instances - ?, 0), used_vcpus = GREATEST(used_vcpus - ?, 0),"
                + " used_ram_mb = GREATEST(used_ram_mb - ?, 0) WHERE project_id = ?")) {
            ps.setInt(1, amount.instances());
            ps.setInt(2, amount.vcpus());
            ps.setLong(3, amount.ramMb());
            ps.setString(4, projectId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("quota release failed for " + projectId, e);
        }
    }

    /** Limits and usage of a project (no lock), or 404. */
    public QuotaRow read(Connection tx, String projectId) {
        try {
            return select(tx, projectId, false);
        } catch (SQLException e) {
            throw new IllegalStateException("quota read failed for " + projectId, e);
        }
    }

    private QuotaRow lock(Connection tx, String projectId) throws SQLException {
        return select(tx, projectId, true);
    }

    private static QuotaRow select(Connection tx, String projectId, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("SELECT limit_instances, limit_vcpus, limit_ram_mb,"
                + " used_instances, used_vcpus, used_ram_mb FROM project_quotas WHERE project_id = ?"
                + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setString(1, projectId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ApiException.notFound("project", projectId);
                }
                return new QuotaRow(new Usage(rs.getInt(1), rs.getInt(2), rs.getLong(3)),
                        new Usage(rs.getInt(4), rs.getInt(5), rs.getLong(6)));
            }
        }
    }

    private static void check(List<String> over, String what, long used, long add, long limit) {
        if (add > 0 && used + add > limit) {
            over.add(what + " " + used + " + " + add + " > " + limit);
        }
    }

    /** A project's limits and current usage. */
    public record QuotaRow(Usage limits, Usage used) {
    }
}
