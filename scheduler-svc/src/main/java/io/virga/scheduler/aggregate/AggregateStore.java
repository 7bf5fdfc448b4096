package io.virga.scheduler.aggregate;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.virga.platform.db.Tx;
import io.virga.scheduler.host.HostAdmin;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * Aggregates: named host sets with metadata and an optional availability
 * zone. A host is in at most one zone: adding it to an aggregate whose zone
 * differs from the host's current zone is refused. Every change bumps the
 * member hosts' change sequence, so replica caches see new zones and
 * restrictions ({@code filter_project_ids}, {@code filter_flavor_ids}).
 */
public final class AggregateStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Aggregate(String id, String name, String availabilityZone, Map<String, String> metadata,
                            List<String> hosts, Instant createdAt) {
    }

    /** An aggregate id that does not exist. */
    public static final class Unknown extends RuntimeException {
        public Unknown(String id) {
            super(id);
        }
    }

    private final Tx tx;

    public AggregateStore(DataSource dataSource) {
        this.tx = new Tx(dataSource);
    }

    /** @throws HostAdmin.Refused when the name is taken */
    public Aggregate create(String id, String name, String az, Map<String, String> metadata) {
        return tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO aggregates (id, name, availability_zone,"
                    + " metadata) VALUES (?, ?, ?, ?::jsonb) ON CONFLICT (name) DO NOTHING")) {
                ps.setString(1, id);
                ps.setString(2, name);
                ps.setString(3, az);
                ps.setString(4, JSON.writeValueAsString(metadata));
                if (ps.executeUpdate() == 0) {
                    throw new HostAdmin.Refused("an aggregate named " + name + " already exists");
                }
            }
            return load(c, id).orElseThrow();
        });
    }

    public Optional<Aggregate> find(String id) {
        return tx.run(c -> load(c, id));
    }

    public List<Aggregate> list() {
        return tx.run(c -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM aggregates ORDER BY name");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            List<Aggregate> out = new ArrayList<>();
            for (String id : ids) {
                load(c, id).ifPresent(out::add);
            }
            return out;
        });
    }

    /** Renames, re-zones and replaces metadata; a new zone must not put a member host in two zones. */
    public Aggregate update(String id, String name, String az, Map<String, String> metadata) {
        return tx.run(c -> {
            Aggregate old = lockAggregate(c, id);
            List<String> hosts = old.hosts();
            lockHosts(c, hosts);
            if (!az.equals(old.availabilityZone())) {
                for (String h : hosts) {
                    String other = zoneFromOthers(c, h, id);
                    if (!other.isEmpty() && !az.isEmpty() && !other.equals(az)) {
                        throw new HostAdmin.Refused("host " + h + " is already in availability zone " + other
                                + " (another aggregate); a host is in one zone only");
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE aggregates SET name = ?, availability_zone = ?,"
                    + " metadata = ?::jsonb WHERE id = ?")) {
                ps.setString(1, name);
                ps.setString(2, az);
                ps.setString(3, JSON.writeValueAsString(metadata));
                ps.setString(4, id);
                ps.executeUpdate();
            } catch (SQLException e) {
                if ("23505".equals(e.getSQLState())) {
                    throw new HostAdmin.Refused("an aggregate named " + name + " already exists");
                }
                throw e;
            }
            for (String h : hosts) {
                setZone(c, h, az.isEmpty() ? zoneFromOthers(c, h, id) : az);
            }
            return load(c, id).orElseThrow();
        });
    }

    public boolean delete(String id) {
        return tx.run(c -> {
            Aggregate old;
            try {
                old = lockAggregate(c, id);
            } catch (Unknown e) {
                return false;
            }
            lockHosts(c, old.hosts());
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM aggregates WHERE id = ?")) {
                ps.setString(1, id);
                ps.executeUpdate();
            }
            for (String h : old.hosts()) {
                setZone(c, h, zoneFromOthers(c, h, id));
            }
            return true;
        });
    }

    /** @throws HostAdmin.Refused when the host is in another zone; HostAdmin.UnknownHost for an unknown host */
    public Aggregate addHost(String id, String hostId) {
        return tx.run(c -> {
            Aggregate agg = lockAggregate(c, id);
            lockHosts(c, List.of(hostId));
            String current = zoneFromOthers(c, hostId, id);
            if (!agg.availabilityZone().isEmpty() && !current.isEmpty() && !current.equals(agg.availabilityZone())) {
                throw new HostAdmin.Refused("host " + hostId + " is already in availability zone " + current
                        + "; a host is in one zone only");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO aggregate_hosts (aggregate_id, host_id)"
                    + " VALUES (?, ?) ON CONFLICT DO NOTHING")) {
                ps.setString(1, id);
                ps.setString(2, hostId);
                ps.executeUpdate();
            }
            setZone(c, hostId, agg.availabilityZone().isEmpty() ? current : agg.availabilityZone());
            return load(c, id).orElseThrow();
        });
    }

    public Aggregate removeHost(String id, String hostId) {
        return tx.run(c -> {
            lockAggregate(c, id);
            lockHosts(c, List.of(hostId));
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM aggregate_hosts WHERE aggregate_id = ? AND host_id = ?")) {
                ps.setString(1, id);
                ps.setString(2, hostId);
                ps.executeUpdate();
            }
            setZone(c, hostId, zoneFromOthers(c, hostId, id));
            return load(c, id).orElseThrow();
        });
    }

    private static void lockHosts(Connection c, List<String> hostIds) throws SQLException {
        for (String h : new TreeSet<>(hostIds)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM hosts WHERE id = ? FOR UPDATE")) {
                ps.setString(1, h);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new HostAdmin.UnknownHost(h);
                    }
                }
            }
        }
    }

    private static Aggregate lockAggregate(Connection c, String id) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM aggregates WHERE id = ? FOR UPDATE")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new Unknown(id);
                }
            }
        }
        return load(c, id).orElseThrow(() -> new Unknown(id));
    }

    /** The zone the host gets from aggregates other than {@code except} (empty when none has one). */
    private static String zoneFromOthers(Connection c, String hostId, String except) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT a.availability_zone FROM aggregate_hosts ah JOIN aggregates a ON a.id = ah.aggregate_id
                 WHERE ah.host_id = ? AND a.id <> ? AND a.availability_zone <> '' LIMIT 1
                """)) {
            ps.setString(1, hostId);
            ps.setString(2, except);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : "";
            }
        }
    }

    private static void setZone(Connection c, String hostId, String az) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE hosts SET availability_zone = ?,"
                + " generation = generation + 1, change_seq = nextval('host_changes'), updated_at = now() WHERE id = ?")) {
            ps.setString(1, az);
            ps.setString(2, hostId);
            ps.executeUpdate();
        }
    }

    @SuppressWarnings("unchecked")
    private static Optional<Aggregate> load(Connection c, String id) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT a.id, a.name, a.availability_zone, a.metadata::text, a.created_at,
                       ARRAY(SELECT host_id FROM aggregate_hosts WHERE aggregate_id = a.id ORDER BY host_id)
                  FROM aggregates a WHERE a.id = ?
                """)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Map<String, String> meta = new TreeMap<>(JSON.readValue(rs.getString(4), Map.class));
                List<String> hosts = List.of((String[]) rs.getArray(6).getArray());
                return Optional.of(new Aggregate(rs.getString(1), rs.getString(2), rs.getString(3), meta, hosts,
                        rs.getTimestamp(5).toInstant()));
            }
        }
    }
}
