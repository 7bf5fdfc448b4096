package io.virga.storage.volume;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL for {@code volumes}, {@code volume_attachments} and {@code volume_requests}. Every method runs on the caller's transaction. */
@ApplicationScoped
public class VolumeRepository {
    private static final String COLUMNS = "id, project_id, name, size_gb, image_id, status, owner_id, "
            + "delete_on_termination, created_at, volume_type, backend, multiattach, source_volume_id, snapshot_id, "
            + "target_size_gb, pending_instance_id, resume_status, error";

    /** The volume a CreateVolume request_id made, and the fingerprint of that request. */
    public record PriorRequest(String volumeId, String fingerprint) {
    }

    /**
     * Claims {@code (projectId, requestId)} for a new volume. Returns false
     * when a committed request already holds it; a concurrent request holding
     * it makes this wait until that one commits or rolls back.
     */
    public boolean claimRequest(Connection c, String projectId, String requestId, String volumeId,
            String fingerprint) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO volume_requests(project_id, request_id, "
                + "volume_id, fingerprint) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, projectId);
            ps.setString(2, requestId);
            ps.setString(3, volumeId);
            ps.setString(4, fingerprint);
            return ps.executeUpdate() == 1;
        }
    }

    public PriorRequest priorRequest(Connection c, String projectId, String requestId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT volume_id, fingerprint FROM volume_requests WHERE project_id = ? AND request_id = ?")) {
            ps.setString(1, projectId);
            ps.setString(2, requestId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("request " + requestId + " vanished");
                }
                return new PriorRequest(rs.getString(1), rs.getString(2));
            }
        }
    }

    public void insert(Connection c, Volume v) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO volumes(" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, v.id());
            ps.setString(2, v.projectId());
            ps.setString(3, v.name());
            ps.setInt(4, v.sizeGb());
            ps.setString(5, v.imageId());
            ps.setString(6, v.status().name());
            ps.setString(7, v.ownerId());
            ps.setBoolean(8, v.deleteOnTermination());
            ps.setTimestamp(9, Timestamp.from(v.createdAt()));
            ps.setString(10, v.volumeType());
            ps.setString(11, v.backend());
            ps.setBoolean(12, v.multiattach());
            ps.setString(13, v.sourceVolumeId());
            ps.setString(14, v.snapshotId());
            setMutable(ps, 15, v);
            ps.executeUpdate();
        }
    }

    private static void setMutable(PreparedStatement ps, int at, Volume v) throws SQLException {
        if (v.targetSizeGb() == null) {
            ps.setNull(at, Types.INTEGER);
        } else {
            ps.setInt(at, v.targetSizeGb());
        }
        ps.setString(at + 1, v.pendingInstanceId());
        ps.setString(at + 2, v.resumeStatus() == null ? null : v.resumeStatus().name());
        ps.setString(at + 3, v.error());
    }

    /** Writes the volume's changing columns (status, size, claim, error, owner). */
    public void update(Connection c, Volume v) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE volumes SET status = ?, size_gb = ?, owner_id = ?, "
                + "target_size_gb = ?, pending_instance_id = ?, resume_status = ?, error = ?, updated_at = now() "
                + "WHERE id = ?")) {
            ps.setString(1, v.status().name());
            ps.setInt(2, v.sizeGb());
            ps.setString(3, v.ownerId());
            setMutable(ps, 4, v);
            ps.setString(8, v.id());
            ps.executeUpdate();
        }
    }

    /** The project's volume {@code id}, optionally locked FOR UPDATE. */
    public Optional<Volume> find(Connection c, String projectId, String id, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                + " FROM volumes WHERE id = ? AND project_id = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setString(1, id);
            ps.setString(2, projectId);
            return readAll(c, ps).stream().findFirst();
        }
    }

    /** Any project's volume {@code id} (workers, reconciler), locked FOR UPDATE. */
    public Optional<Volume> lock(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM volumes WHERE id = ? FOR UPDATE")) {
            ps.setString(1, id);
            return readAll(c, ps).stream().findFirst();
        }
    }

    /** The project's volumes, oldest first; only those of {@code ownerId} (owner, attachment, or being attached / detached) when not null. */
    public List<Volume> list(Connection c, String projectId, String ownerId, boolean forUpdate) throws SQLException {
        String sql = "SELECT " + COLUMNS + " FROM volumes v WHERE project_id = ?"
                + (ownerId == null ? "" : " AND (owner_id = ? OR pending_instance_id = ? OR EXISTS (SELECT 1"
                        + " FROM volume_attachments a WHERE a.volume_id = v.id AND a.instance_id = ?))")
                + " ORDER BY created_at, id" + (forUpdate ? " FOR UPDATE" : "");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, projectId);
            if (ownerId != null) {
                ps.setString(2, ownerId);
                ps.setString(3, ownerId);
                ps.setString(4, ownerId);
            }
            return readAll(c, ps);
        }
    }

    /** Every volume in one of {@code statuses} (all projects), oldest first. */
    public List<Volume> inStatus(Connection c, List<VolumeStatus> statuses) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                + " FROM volumes WHERE status = ANY (?) ORDER BY created_at, id")) {
            ps.setArray(1, c.createArrayOf("text", statuses.stream().map(Enum::name).toArray()));
            return readAll(c, ps);
        }
    }

    /** Every volume of a backend (all projects). */
    public List<Volume> onBackend(Connection c, String backend) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM volumes WHERE backend = ?")) {
            ps.setString(1, backend);
            return readAll(c, ps);
        }
    }

    /** GiB provisioned on a backend: every volume's size (or the size it is growing to). */
    public long provisionedGb(Connection c, String backend) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(sum(greatest(size_gb, coalesce(target_size_gb, 0))), 0)"
                + " FROM volumes WHERE backend = ?")) {
            ps.setString(1, backend);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Serialises capacity checks of one backend until the transaction ends. */
    public void lockBackend(Connection c, String backend) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext('volumes:' || ?))")) {
            ps.setString(1, backend);
            ps.execute();
        }
    }

    public void delete(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM volumes WHERE id = ?")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
    }

    public void addAttachment(Connection c, String volumeId, String instanceId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO volume_attachments(volume_id, instance_id) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, volumeId);
            ps.setString(2, instanceId);
            ps.executeUpdate();
        }
    }

    public void removeAttachment(Connection c, String volumeId, String instanceId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM volume_attachments WHERE volume_id = ? AND instance_id = ?")) {
            ps.setString(1, volumeId);
            ps.setString(2, instanceId);
            ps.executeUpdate();
        }
    }

    private static List<String> attachments(Connection c, String volumeId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT instance_id FROM volume_attachments WHERE volume_id = ? ORDER BY created_at, instance_id")) {
            ps.setString(1, volumeId);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return List.copyOf(out);
        }
    }

    private static List<Volume> readAll(Connection c, PreparedStatement ps) throws SQLException {
        List<Volume> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                int target = rs.getInt("target_size_gb");
                Integer targetSize = rs.wasNull() ? null : target;
                String resume = rs.getString("resume_status");
                out.add(new Volume(rs.getString("id"), rs.getString("project_id"), rs.getString("name"),
                        rs.getInt("size_gb"), rs.getString("image_id"), VolumeStatus.valueOf(rs.getString("status")),
                        rs.getString("owner_id"), rs.getBoolean("delete_on_termination"),
                        rs.getTimestamp("created_at").toInstant(), rs.getString("volume_type"), rs.getString("backend"),
                        rs.getBoolean("multiattach"), rs.getString("source_volume_id"), rs.getString("snapshot_id"),
                        targetSize, rs.getString("pending_instance_id"),
                        resume == null ? null : VolumeStatus.valueOf(resume), rs.getString("error"), List.of()));
            }
        }
        List<Volume> withAttachments = new ArrayList<>(out.size());
        for (Volume v : out) {
            withAttachments.add(new Volume(v.id(), v.projectId(), v.name(), v.sizeGb(), v.imageId(), v.status(),
                    v.ownerId(), v.deleteOnTermination(), v.createdAt(), v.volumeType(), v.backend(), v.multiattach(),
                    v.sourceVolumeId(), v.snapshotId(), v.targetSizeGb(), v.pendingInstanceId(), v.resumeStatus(),
                    v.error(), attachments(c, v.id())));
        }
        return withAttachments;
    }
}
