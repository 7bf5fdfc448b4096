package io.virga.storage.quota;

import static io.virga.platform.grpc.GrpcErrors.exhausted;
import static io.virga.platform.grpc.GrpcErrors.invalidArgument;

import io.virga.platform.db.Tx;
import io.virga.storage.Fields;
import io.virga.storage.backend.Backends;
import io.virga.storage.backend.VolumeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Block storage quotas per project: {@code volumes} (count), {@code gigabytes}
 * (sum of volume sizes, an extend counting with the size it grows to) and
 * {@code snapshots} (count). -1 is unlimited. Boot volume records of instances
 * (backend {@code record}, no data of their own) are not counted: the
 * instance quota covers them.
 *
 * <p>Race-free: {@link #reserve} takes the project's quota lock (a
 * transaction-scoped advisory lock), counts, and returns; the caller inserts
 * its row in the same transaction, so the lock is held until that row is
 * committed and a concurrent create of the same project counts it. Nothing
 * is stored as "used": usage is what the tables hold, so it cannot drift.
 * Lock order: the volume's row (extend, snapshot), then this lock, then the
 * backend's capacity lock.
 */
@ApplicationScoped
public class VolumeQuotas {
    /** Limits (or usage) of one project. */
    public record Figures(long volumes, long gigabytes, long snapshots) {
    }

    /** A project's limits and usage. */
    public record Quota(String projectId, Figures limits, Figures used) {
    }

    private final Tx tx;
    private final Figures defaults;

    public VolumeQuotas(Tx tx, VolumeConfig config) {
        this.tx = tx;
        VolumeConfig.Quota q = config.quota();
        this.defaults = new Figures(q.defaultVolumes(), q.defaultGigabytes(), q.defaultSnapshots());
    }

    /**
     * Checks that {@code add} more fits every limit of the project and keeps the
     * project's quota lock until the caller's transaction ends.
     *
     * @throws io.grpc.StatusRuntimeException RESOURCE_EXHAUSTED "quota exceeded: gigabytes 998 + 5 > 1000"
     *         naming every resource over its limit; nothing was changed
     */
    public void reserve(Connection c, String projectId, Figures add) throws SQLException {
        lock(c, projectId);
        Figures limits = limits(c, projectId);
        Figures used = used(c, projectId);
        List<String> over = new ArrayList<>();
        check(over, "volumes", used.volumes(), add.volumes(), limits.volumes());
        check(over, "gigabytes", used.gigabytes(), add.gigabytes(), limits.gigabytes());
        check(over, "snapshots", used.snapshots(), add.snapshots(), limits.snapshots());
        if (!over.isEmpty()) {
            throw exhausted("quota exceeded: " + String.join(", ", over));
        }
    }

    private static void check(List<String> over, String what, long used, long add, long limit) {
        if (add > 0 && limit >= 0 && used + add > limit) {
            over.add(what + " " + used + " + " + add + " > " + limit);
        }
    }

    /** The project's limits and usage (no lock). */
    public Quota get(String projectId) {
        String project = Fields.reference("project_id", projectId);
        return tx.run(c -> new Quota(project, limits(c, project), used(c, project)));
    }

    /**
     * Sets the limits given (null: unchanged). A limit below current usage is
     * accepted: nothing is taken away, new creates are refused.
     * INVALID_ARGUMENT for a limit below -1 or none given; nothing changes then.
     */
    public Quota set(String projectId, Long volumes, Long gigabytes, Long snapshots) {
        String project = Fields.reference("project_id", projectId);
        if (volumes == null && gigabytes == null && snapshots == null) {
            throw invalidArgument("volumes", "give at least one of volumes, gigabytes, snapshots");
        }
        limit("volumes", volumes);
        limit("gigabytes", gigabytes);
        limit("snapshots", snapshots);
        tx.run(c -> {
            lock(c, project);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO volume_quotas (project_id, volumes, gigabytes,"
                    + " snapshots) VALUES (?, ?, ?, ?) ON CONFLICT (project_id) DO UPDATE SET"
                    + " volumes = COALESCE(EXCLUDED.volumes, volume_quotas.volumes),"
                    + " gigabytes = COALESCE(EXCLUDED.gigabytes, volume_quotas.gigabytes),"
                    + " snapshots = COALESCE(EXCLUDED.snapshots, volume_quotas.snapshots), updated_at = now()")) {
                ps.setString(1, project);
                ps.setObject(2, volumes);
                ps.setObject(3, gigabytes);
                ps.setObject(4, snapshots);
                ps.executeUpdate();
            }
            return null;
        });
        return get(project);
    }

    private static void limit(String field, Long value) {
        if (value != null && (value < -1 || value > 1_000_000_000L)) {
            throw invalidArgument(field, "must be -1 (unlimited) or between 0 and 1000000000, got " + value);
        }
    }

    private static void lock(Connection c, String projectId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext('volume-quota'),"
                + " hashtext(?))")) {
            ps.setString(1, projectId);
            ps.execute();
        }
    }

    private Figures limits(Connection c, String projectId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT volumes, gigabytes, snapshots FROM volume_quotas"
                + " WHERE project_id = ?")) {
            ps.setString(1, projectId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return defaults;
                }
                return new Figures(orDefault(rs, 1, defaults.volumes()), orDefault(rs, 2, defaults.gigabytes()),
                        orDefault(rs, 3, defaults.snapshots()));
            }
        }
    }

    private static long orDefault(ResultSet rs, int column, long fallback) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? fallback : v;
    }

    private static Figures used(Connection c, String projectId) throws SQLException {
        long volumes;
        long gigabytes;
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*), COALESCE(sum(GREATEST(size_gb,"
                + " COALESCE(target_size_gb, 0))), 0) FROM volumes WHERE project_id = ? AND backend <> ?")) {
            ps.setString(1, projectId);
            ps.setString(2, Backends.RECORD);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                volumes = rs.getLong(1);
                gigabytes = rs.getLong(2);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM volume_snapshots WHERE project_id = ?")) {
            ps.setString(1, projectId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Figures(volumes, gigabytes, rs.getLong(1));
            }
        }
    }
}
