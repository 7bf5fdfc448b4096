package io.virga.gateway.instance.flow;



import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Guests that may exist on a host where no instance should be (table
 * {@code orphan_guests}): recorded when a destroy could not be confirmed or a
 * host reports a guest it should not have; destroyed by {@link OrphanReaper}.
 */
@ApplicationScoped
public class OrphanGuests {
    /** One suspected guest. {@code endpoint} is the last known address of its host, or null. */
    public record Orphan(String instanceId, String hostId, String endpoint, String reason, int attempts) {
    }

    private final DataSource dataSource;

    public OrphanGuests(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records (or refreshes, due now) a suspected guest, in transaction {@code c}. Idempotent. */
    public void record(Connection c, String instanceId, String hostId, String endpoint, String reason)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO orphan_guests (instance_id, host_id, endpoint,"
                + " reason) VALUES (?, ?, ?, ?) ON CONFLICT (instance_id, host_id) DO UPDATE SET"
                + " endpoint = coalesce(excluded.endpoint, orphan_guests.endpoint), reason = excluded.reason,"
                + " next_try_at = LEAST(orphan_guests.next_try_at, now())")) {
            ps.setString(1, instanceId);
            ps.setString(2, hostId);
            ps.setString(3, endpoint);
            ps.setString(4, reason);
            ps.executeUpdate();
        }
    }

    /** The host confirmed the guest is gone. */
    public void forget(Connection c, String instanceId, String hostId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM orphan_guests WHERE instance_id = ?"
                + " AND host_id = ?")) {
            ps.setString(1, instanceId);
            ps.setString(2, hostId);
            ps.executeUpdate();
        }
    }

    public void forget(String instanceId, String hostId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            forget(c, instanceId, hostId);
        }
    }

    /** Up to {@code limit} suspected guests due for a destroy attempt. */
    public List<Orphan> due(int limit) throws SQLException {
        List<Orphan> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT instance_id, host_id, endpoint, reason, attempts"
                     + " FROM orphan_guests WHERE next_try_at <= now() ORDER BY next_try_at LIMIT ?")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Orphan(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getInt(5)));
                }
            }
        }
        return out;
    }

    /** A destroy attempt failed: try again at {@code at}. */
    public void retryLater(Orphan o, Instant at) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE orphan_guests SET attempts = attempts + 1,"
                     + " next_try_at = ? WHERE instance_id = ? AND host_id = ?")) {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setString(2, o.instanceId());
            ps.setString(3, o.hostId());
            ps.executeUpdate();
        }
    }
}
