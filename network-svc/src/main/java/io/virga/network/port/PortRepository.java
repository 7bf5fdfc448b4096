package io.virga.network.port;

import io.virga.network.ipam.Ipv4;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Rows of {@code ports} and {@code port_requests}; every method works inside the caller's transaction. */
@ApplicationScoped
public class PortRepository {
    static final String MAC_CONSTRAINT = "ports_mac_key";
    static final String REQUEST_CONSTRAINT = "port_requests_pkey";
    private static final String COLUMNS = "id, project_id, network_id, subnet_id, text(mac_address) AS mac,"
            + " host(ip) AS addr, device_id, status, created_at, auto_delete,"
            + " array(SELECT g.group_id FROM port_security_groups g WHERE g.port_id = ports.id ORDER BY g.group_id)"
            + " AS groups";

    /** The first CreatePort of an idempotency key, and the port it made (empty once that port was deleted). */
    public record PortRequest(String projectId, String requestId, String portId, String networkId, String deviceId,
            Optional<Port> port) {
    }

    public Optional<PortRequest> findRequest(Connection c, String projectId, String requestId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT port_id, network_id, device_id FROM port_requests"
                + " WHERE project_id = ? AND request_id = ?")) {
            ps.setString(1, projectId);
            ps.setString(2, requestId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String portId = rs.getString("port_id");
                return Optional.of(new PortRequest(projectId, requestId, portId, rs.getString("network_id"),
                        rs.getString("device_id"), find(c, projectId, portId)));
            }
        }
    }

    /**
     * Records the idempotency key. A concurrent call with the same key blocks
     * on the primary key until this transaction ends, then fails with a
     * unique violation of {@value #REQUEST_CONSTRAINT}.
     */
    public void insertRequest(Connection c, String projectId, String requestId, String portId, String networkId,
            String deviceId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO port_requests(project_id, request_id, port_id,"
                + " network_id, device_id) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, projectId);
            ps.setString(2, requestId);
            ps.setString(3, portId);
            ps.setString(4, networkId);
            ps.setString(5, deviceId);
            ps.executeUpdate();
        }
    }

    /**
     * Inserts a DOWN port. Fails with a unique violation of
     * {@value #MAC_CONSTRAINT} when the MAC is taken, of
     * {@code ports_subnet_ip_key} when the address is.
     */
    public Port insert(Connection c, String id, String projectId, String networkId, String subnetId, String mac,
            long ip, String deviceId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ports(id, project_id, network_id, subnet_id,"
                + " mac_address, ip, device_id, status, auto_delete) VALUES (?, ?, ?, ?, ?::macaddr, ?::inet, ?, 'DOWN',"
                + " ? <> '') RETURNING " + COLUMNS)) {
            ps.setString(1, id);
            ps.setString(2, projectId);
            ps.setString(3, networkId);
            ps.setString(4, subnetId);
            ps.setString(5, mac);
            ps.setString(6, Ipv4.format(ip));
            ps.setString(7, deviceId);
            ps.setString(8, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return read(rs);
            }
        }
    }

    /** The project's port {@code id}. */
    public Optional<Port> find(Connection c, String projectId, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM ports"
                + " WHERE id = ? AND project_id = ?")) {
            ps.setString(1, id);
            ps.setString(2, projectId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /** The project's ports, oldest first; empty filters match everything. */
    public List<Port> list(Connection c, String projectId, String deviceId, String networkId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM ports WHERE project_id = ?"
                + " AND (? = '' OR device_id = ?) AND (? = '' OR network_id = ?) ORDER BY created_at, id")) {
            ps.setString(1, projectId);
            ps.setString(2, deviceId);
            ps.setString(3, deviceId);
            ps.setString(4, networkId);
            ps.setString(5, networkId);
            return readAll(ps);
        }
    }

    /** Deletes the project's port {@code id}; answers the deleted rows (none or one). */
    public List<Port> delete(Connection c, String projectId, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM ports WHERE id = ? AND project_id = ?"
                + " RETURNING " + COLUMNS)) {
            ps.setString(1, id);
            ps.setString(2, projectId);
            return readAll(ps);
        }
    }

    /** Ports of any project by id (unknown ids are left out). */
    public List<Port> findAny(Connection c, java.util.Collection<String> ids) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM ports WHERE id = ANY (?)"
                + " ORDER BY created_at, id")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            return readAll(ps);
        }
    }

    /**
     * Binds the project's port to {@code deviceId} when it is unbound or
     * already bound to it; answers the port, empty when it is missing or held
     * by another device (the caller tells which).
     */
    public Optional<Port> bind(Connection c, String projectId, String id, String deviceId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE ports SET device_id = ? WHERE id = ? AND project_id = ?"
                + " AND device_id IN ('', ?) RETURNING " + COLUMNS)) {
            ps.setString(1, deviceId);
            ps.setString(2, id);
            ps.setString(3, projectId);
            ps.setString(4, deviceId);
            List<Port> out = readAll(ps);
            return out.isEmpty() ? Optional.empty() : Optional.of(out.get(0));
        }
    }

    /** Unbinds the project's user-made ports (not auto-delete) of the device; answers them. */
    public List<Port> unbindByDevice(Connection c, String projectId, String deviceId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE ports SET device_id = '' WHERE project_id = ?"
                + " AND device_id = ? AND NOT auto_delete RETURNING " + COLUMNS)) {
            ps.setString(1, projectId);
            ps.setString(2, deviceId);
            return readAll(ps);
        }
    }

    /**
     * Deletes the project's auto-delete ports of device {@code deviceId}
     * (non-empty); answers the deleted rows.
     */
    public List<Port> deleteByDevice(Connection c, String projectId, String deviceId) throws SQLException {
        if (deviceId.isEmpty()) {
            throw new IllegalArgumentException("deviceId must not be empty");
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM ports WHERE project_id = ? AND device_id = ?"
                + " AND auto_delete RETURNING " + COLUMNS)) {
            ps.setString(1, projectId);
            ps.setString(2, deviceId);
            return readAll(ps);
        }
    }

    /** Ports on the network, of any project. */
    public int countByNetwork(Connection c, String networkId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM ports WHERE network_id = ?")) {
            ps.setString(1, networkId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Ports holding an address of the subnet, of any project. */
    public long countBySubnet(Connection c, String subnetId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM ports WHERE subnet_id = ?")) {
            ps.setString(1, subnetId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static List<Port> readAll(PreparedStatement ps) throws SQLException {
        List<Port> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(read(rs));
            }
        }
        return out;
    }

    private static Port read(ResultSet rs) throws SQLException {
        return new Port(rs.getString("id"), rs.getString("project_id"), rs.getString("network_id"),
                rs.getString("subnet_id"), rs.getString("mac"), Ipv4.parse(rs.getString("addr")),
                rs.getString("device_id"), rs.getString("status"), rs.getTimestamp("created_at").toInstant(),
                List.of((String[]) rs.getArray("groups").getArray()), rs.getBoolean("auto_delete"));
    }
}
