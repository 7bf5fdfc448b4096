package io.virga.gateway.instance;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Reads and inserts instance rows, their ports and volumes, in the caller's
 * transaction. Status changes go through {@link InstanceStateWriter}, never here.
 */
@ApplicationScoped
public class InstanceRepository {
    private static final String COLUMNS = "id, project_id, name, flavor_id, flavor_name, vcpus, ram_mb, disk_gb, kind,"
            + " virt_mode, image_id, requested_networks, user_data, status, task, host_id, host_name, host_endpoint,"
            + " fault_message, fault_code, quota_held, version, created_at, updated_at, deleted_at, description,"
            + " metadata::text AS metadata, tags, locked";
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    /** Inserts a new instance (status and task as given, version 1). */
    public void insert(Connection c, Instance i) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO instances (id, project_id, name, flavor_id,"
                + " flavor_name, vcpus, ram_mb, disk_gb, kind, virt_mode, image_id, requested_networks, user_data,"
                + " status, task, quota_held, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
            FlavorSnapshot f = i.flavor();
            ps.setString(1, i.id());
            ps.setString(2, i.projectId());
            ps.setString(3, i.name());
            ps.setString(4, f.id());
            ps.setString(5, f.name());
            ps.setInt(6, f.vcpus());
            ps.setLong(7, f.ramMb());
            ps.setInt(8, f.diskGb());
            ps.setString(9, f.kind());
            ps.setString(10, f.virtMode());
            ps.setString(11, i.imageId());
            ps.setArray(12, c.createArrayOf("text", i.requestedNetworks().toArray()));
            ps.setString(13, i.userData());
            ps.setString(14, i.status().name());
            ps.setString(15, i.task() == null ? null : i.task().value());
            ps.setBoolean(16, i.quotaHeld());
            ps.setTimestamp(17, Timestamp.from(i.createdAt()));
            ps.setTimestamp(18, Timestamp.from(i.updatedAt()));
            ps.executeUpdate();
        }
    }

    /** The instance with its ports and volumes, whatever its project. */
    public Optional<Instance> find(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM instances WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(withChildren(c, row(rs)));
            }
        }
    }

    /**
     * One page of a project's instances in creation order, after {@code after} (exclusive).
     *
     * @param status null: every status but DELETED
     */
    /** The project's instances as {@code q} filters and sorts them, at most {@code limit}. */
    public List<Instance> list(Connection c, String projectId, InstanceListQuery q, int limit) throws SQLException {
        List<Instance> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM instances WHERE project_id = ?"
                + q.sqlTail())) {
            int n = 1;
            ps.setString(n++, projectId);
            if (q.status() != null) {
                ps.setString(n++, q.status().name());
            }
            if (q.name() != null) {
                ps.setString(n++, q.name());
            }
            if (!q.tags().isEmpty()) {
                ps.setArray(n++, c.createArrayOf("text", q.tags().toArray()));
            }
            if (q.afterId() != null) {
                if (q.afterValue() instanceof Instant at) {
                    ps.setTimestamp(n++, Timestamp.from(at));
                } else {
                    ps.setString(n++, (String) q.afterValue());
                }
                ps.setString(n++, q.afterId());
            }
            ps.setInt(n, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
        }
        List<Instance> full = new ArrayList<>(out.size());
        for (Instance i : out) {
            full.add(withChildren(c, i));
        }
        return full;
    }

    public List<Instance> list(Connection c, String projectId, InstanceStatus status, ListCursor after, int limit)
            throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM instances WHERE project_id = ?");
        sql.append(status == null ? " AND status <> 'DELETED'" : " AND status = ?");
        if (after != null) {
            sql.append(" AND (created_at, id) > (?, ?)");
        }
        sql.append(" ORDER BY created_at, id LIMIT ?");
        List<Instance> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int n = 1;
            ps.setString(n++, projectId);
            if (status != null) {
                ps.setString(n++, status.name());
            }
            if (after != null) {
                ps.setTimestamp(n++, Timestamp.from(after.createdAt()));
                ps.setString(n++, after.id());
            }
            ps.setInt(n, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
        }
        List<Instance> full = new ArrayList<>(out.size());
        for (Instance i : out) {
            full.add(withChildren(c, i));
        }
        return full;
    }

    /** Records a port of the instance; a port already recorded is left as is (idempotent). */
    public void addPort(Connection c, String instanceId, InstancePort p) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO instance_ports (port_id, instance_id, position,"
                + " network_id, ip_address, mac_address) VALUES (?,?,?,?,?,?) ON CONFLICT (port_id) DO NOTHING")) {
            ps.setString(1, p.portId());
            ps.setString(2, instanceId);
            ps.setInt(3, p.position());
            ps.setString(4, p.networkId());
            ps.setString(5, p.ipAddress());
            ps.setString(6, p.macAddress());
            ps.executeUpdate();
        }
    }

    /** Records a volume of the instance; a volume already recorded is left as is (idempotent). */
    public void addVolume(Connection c, String instanceId, InstanceVolume v) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO instance_volumes (volume_id, instance_id, size_gb,"
                + " boot) VALUES (?,?,?,?) ON CONFLICT (volume_id) DO NOTHING")) {
            ps.setString(1, v.volumeId());
            ps.setString(2, instanceId);
            ps.setInt(3, v.sizeGb());
            ps.setBoolean(4, v.boot());
            ps.executeUpdate();
        }
    }

    /** Removes one volume record of the instance (idempotent). */
    public void removeVolume(Connection c, String instanceId, String volumeId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM instance_volumes WHERE instance_id = ?"
                + " AND volume_id = ?")) {
            ps.setString(1, instanceId);
            ps.setString(2, volumeId);
            ps.executeUpdate();
        }
    }

    /**
     * Sets the instance's flavor (a resize finished or was reverted) and bumps
     * its version. Call after any {@link InstanceStateWriter#apply} of the same transaction.
     */
    public void setFlavor(Connection c, String instanceId, FlavorSnapshot f) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE instances SET flavor_id = ?, flavor_name = ?,"
                + " vcpus = ?, ram_mb = ?, disk_gb = ?, kind = ?, virt_mode = ?, version = version + 1,"
                + " updated_at = now() WHERE id = ?")) {
            ps.setString(1, f.id());
            ps.setString(2, f.name());
            ps.setInt(3, f.vcpus());
            ps.setLong(4, f.ramMb());
            ps.setInt(5, f.diskGb());
            ps.setString(6, f.kind());
            ps.setString(7, f.virtMode());
            ps.setString(8, instanceId);
            ps.executeUpdate();
        }
    }

    /**
     * Sets the instance's image (a rebuild finished) and bumps its version.
     * Call after any {@link InstanceStateWriter#apply} of the same transaction.
     */
    public void setImage(Connection c, String instanceId, String imageId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE instances SET image_id = ?, version = version + 1,"
                + " updated_at = now() WHERE id = ?")) {
            ps.setString(1, imageId);
            ps.setString(2, instanceId);
            ps.executeUpdate();
        }
    }

    public void removePorts(Connection c, String instanceId) throws SQLException {
        delete(c, "DELETE FROM instance_ports WHERE instance_id = ?", instanceId);
    }

    public void removeVolumes(Connection c, String instanceId) throws SQLException {
        delete(c, "DELETE FROM instance_volumes WHERE instance_id = ?", instanceId);
    }

    private static void delete(Connection c, String sql, String instanceId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, instanceId);
            ps.executeUpdate();
        }
    }

    private static Instance withChildren(Connection c, Instance i) throws SQLException {
        List<InstancePort> ports = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT port_id, position, network_id, ip_address, mac_address"
                + " FROM instance_ports WHERE instance_id = ? ORDER BY position")) {
            ps.setString(1, i.id());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ports.add(new InstancePort(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                            rs.getString(5)));
                }
            }
        }
        List<InstanceVolume> volumes = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT volume_id, size_gb, boot FROM instance_volumes"
                + " WHERE instance_id = ? ORDER BY boot DESC, volume_id")) {
            ps.setString(1, i.id());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    volumes.add(new InstanceVolume(rs.getString(1), rs.getInt(2), rs.getBoolean(3)));
                }
            }
        }
        return i.withPortsAndVolumes(List.copyOf(ports), List.copyOf(volumes));
    }

    private static Instance row(ResultSet rs) throws SQLException {
        Array nets = rs.getArray("requested_networks");
        List<String> networks = Arrays.asList((String[]) nets.getArray());
        String faultMessage = rs.getString("fault_message");
        String task = rs.getString("task");
        return new Instance(
                rs.getString("id"),
                rs.getString("project_id"),
                rs.getString("name"),
                new FlavorSnapshot(rs.getString("flavor_id"), rs.getString("flavor_name"), rs.getInt("vcpus"),
                        rs.getLong("ram_mb"), rs.getInt("disk_gb"), rs.getString("kind"), rs.getString("virt_mode")),
                rs.getString("image_id"),
                List.copyOf(networks),
                rs.getString("user_data"),
                InstanceStatus.valueOf(rs.getString("status")),
                task == null ? null : InstanceTask.fromValue(task).orElseThrow(),
                rs.getString("host_id"),
                rs.getString("host_name"),
                rs.getString("host_endpoint"),
                faultMessage == null ? null : new Fault(faultMessage, rs.getString("fault_code")),
                rs.getBoolean("quota_held"),
                rs.getLong("version"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"),
                instant(rs, "deleted_at"),
                List.of(),
                List.of(),
                rs.getString("description"),
                metadata(rs.getString("metadata")),
                List.copyOf(Arrays.asList((String[]) rs.getArray("tags").getArray())),
                rs.getBoolean("locked"));
    }

    private static java.util.Map<String, String> metadata(String json) throws SQLException {
        try {
            return java.util.Map.copyOf(JSON.readValue(json,
                    new com.fasterxml.jackson.core.type.TypeReference<java.util.Map<String, String>>() { }));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SQLException("unreadable instance metadata " + json, e);
        }
    }

    /**
     * Writes the instance's attributes (name, description, metadata, tags,
     * lock), compare-and-set on {@code current.version()}.
     *
     * @return the instance as written (version + 1)
     * @throws StaleInstanceException when the row is no longer at {@code current.version()}
     */
    public Instance updateAttributes(Connection c, Instance current, String name, String description,
                                     java.util.Map<String, String> metadata, List<String> tags, boolean locked)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE instances SET name = ?, description = ?,"
                + " metadata = ?::jsonb, tags = ?, locked = ?, updated_at = now(), version = version + 1"
                + " WHERE id = ? AND version = ?")) {
            ps.setString(1, name);
            ps.setString(2, description);
            ps.setString(3, JSON.writeValueAsString(metadata));
            ps.setArray(4, c.createArrayOf("text", tags.toArray()));
            ps.setBoolean(5, locked);
            ps.setString(6, current.id());
            ps.setLong(7, current.version());
            if (ps.executeUpdate() != 1) {
                throw new StaleInstanceException(current.id(), current.version());
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
        return find(c, current.id()).orElseThrow();
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
