package io.virga.network.network;

import io.virga.network.Locking;
import io.virga.network.SqlConstraints;
import io.virga.platform.grpc.GrpcErrors;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Rows of {@code networks}; every method works inside the caller's transaction. */
@ApplicationScoped
public class NetworkRepository {
    static final int MAX_VNI = 16_777_215;
    private static final int VNI_ATTEMPTS = 32;
    private static final String COLUMNS = "id, project_id, name, vni, shared, status, created_at, external";

    /**
     * Inserts a network with a VNI no other network has. VNIs come from a
     * cycling sequence; after a wrap-around the next free VNI at or after
     * the sequence value is taken, and a race on the same VNI (UNIQUE
     * violation) moves on to the next one.
     *
     * @throws io.grpc.StatusRuntimeException RESOURCE_EXHAUSTED when all VNIs are in use
     */
    public Network insert(Connection c, String id, String projectId, String name, boolean shared,
            boolean external) throws SQLException {
        for (int attempt = 0; attempt < VNI_ATTEMPTS; attempt++) {
            int vni = nextFreeVni(c).orElseThrow(() -> GrpcErrors.exhausted("all " + MAX_VNI + " VNIs are in use"));
            Savepoint sp = c.setSavepoint();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO networks(id, project_id, name, vni, shared, status,"
                    + " external) VALUES (?, ?, ?, ?, ?, 'ACTIVE', ?) RETURNING " + COLUMNS)) {
                ps.setString(1, id);
                ps.setString(2, projectId);
                ps.setString(3, name);
                ps.setInt(4, vni);
                ps.setBoolean(5, shared);
                ps.setBoolean(6, external);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    c.releaseSavepoint(sp);
                    return read(rs);
                }
            } catch (SQLException e) {
                c.rollback(sp);
                if (!SqlConstraints.isUniqueViolation(e, "networks_vni_key")) {
                    throw e;
                }
            }
        }
        throw GrpcErrors.exhausted("no free VNI after " + VNI_ATTEMPTS + " attempts");
    }

    /** The sequence's next value if free, else the lowest free VNI above it, else the lowest free one. */
    private OptionalInt nextFreeVni(Connection c) throws SQLException {
        int next;
        try (PreparedStatement ps = c.prepareStatement("SELECT nextval('network_vni_seq')");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            next = rs.getInt(1);
        }
        OptionalInt free = lowestFreeFrom(c, next);
        if (free.isEmpty()) {
            free = lowestFreeFrom(c, 1);
        }
        if (free.isPresent() && free.getAsInt() != next) {
            try (PreparedStatement ps = c.prepareStatement("SELECT setval('network_vni_seq', ?)")) {
                ps.setInt(1, free.getAsInt());
                ps.executeQuery().close();
            }
        }
        return free;
    }

    private OptionalInt lowestFreeFrom(Connection c, int from) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT x.v FROM ("
                + " SELECT ?::int AS v UNION ALL SELECT vni + 1 FROM networks WHERE vni >= ?) x"
                + " WHERE x.v <= " + MAX_VNI + " AND NOT EXISTS (SELECT 1 FROM networks n WHERE n.vni = x.v)"
                + " ORDER BY x.v LIMIT 1")) {
            ps.setInt(1, from);
            ps.setInt(2, from);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? OptionalInt.of(rs.getInt(1)) : OptionalInt.empty();
            }
        }
    }

    /** The network {@code id} if {@code projectId} may see it (its own, a shared or an external one), row-locked as asked. */
    public Optional<Network> findVisible(Connection c, String projectId, String id, Locking locking)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM networks"
                + " WHERE id = ? AND (project_id = ? OR shared OR external)" + locking.sql())) {
            ps.setString(1, id);
            ps.setString(2, projectId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /** The project's networks and every shared network, oldest first. */
    public List<Network> listVisible(Connection c, String projectId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM networks"
                + " WHERE project_id = ? OR shared OR external ORDER BY created_at, id")) {
            ps.setString(1, projectId);
            List<Network> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        }
    }

    /** Deletes the network row (its subnets must be gone already); true when a row was deleted. */
    public boolean delete(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM networks WHERE id = ?")) {
            ps.setString(1, id);
            return ps.executeUpdate() == 1;
        }
    }

    private static Network read(ResultSet rs) throws SQLException {
        return new Network(rs.getString("id"), rs.getString("project_id"), rs.getString("name"), rs.getInt("vni"),
                rs.getBoolean("shared"), rs.getString("status"), rs.getTimestamp("created_at").toInstant(),
                rs.getBoolean("external"));
    }
}
