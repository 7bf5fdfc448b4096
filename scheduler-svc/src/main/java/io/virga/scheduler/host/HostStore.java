package io.virga.scheduler.host;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * The hosts table. Reads return consistent {@link HostState} snapshots;
 * {@link #upsert} applies host reports. Usage counters are never written
 * here: only claims and releases move them (see the claim package).
 */
public final class HostStore {
    private static final String SELECT = """
            SELECT h.id, h.name, h.hypervisor_type, h.compute_endpoint, h.enabled,
                   h.total_vcpus, h.total_ram_mb, h.total_disk_gb, h.used_vcpus, h.used_ram_mb, h.used_disk_gb,
                   h.traits, h.last_heartbeat_at, h.generation,
                   (SELECT count(*) FROM allocations a WHERE a.host_id = h.id) AS instances
              FROM hosts h
            """;

    /**
     * Inserts a new host, or updates a known one unless the stored heartbeat
     * is newer than the report (a late, out-of-order report changes nothing).
     * The generation moves only when something placement depends on changed
     * (identity, type, endpoint, totals, traits), so plain heartbeats do not
     * make concurrent claims retry.
     */
    private static final String UPSERT = """
            INSERT INTO hosts (id, name, hypervisor_type, compute_endpoint, total_vcpus, total_ram_mb,
                               total_disk_gb, traits, last_heartbeat_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET
                name = excluded.name,
                hypervisor_type = excluded.hypervisor_type,
                compute_endpoint = excluded.compute_endpoint,
                total_vcpus = excluded.total_vcpus,
                total_ram_mb = excluded.total_ram_mb,
                total_disk_gb = excluded.total_disk_gb,
                traits = excluded.traits,
                last_heartbeat_at = excluded.last_heartbeat_at,
                generation = hosts.generation + CASE WHEN
                    (hosts.name, hosts.hypervisor_type, hosts.compute_endpoint, hosts.total_vcpus,
                     hosts.total_ram_mb, hosts.total_disk_gb, hosts.traits)
                    IS DISTINCT FROM
                    (excluded.name, excluded.hypervisor_type, excluded.compute_endpoint, excluded.total_vcpus,
                     excluded.total_ram_mb, excluded.total_disk_gb, excluded.traits)
                    THEN 1 ELSE 0 END,
                updated_at = now()
            WHERE hosts.last_heartbeat_at <= excluded.last_heartbeat_at
            """;

    private final DataSource dataSource;

    public HostStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Applies a report inside the caller's transaction.
     *
     * @return true when the host row changed, false when the report was older than what is stored
     */
    public boolean upsert(Connection tx, HostInventory inv) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement(UPSERT)) {
            ps.setString(1, inv.hostId());
            ps.setString(2, inv.name());
            ps.setString(3, inv.hypervisorType());
            ps.setString(4, inv.computeEndpoint());
            ps.setInt(5, inv.total().vcpus());
            ps.setLong(6, inv.total().ramMb());
            ps.setLong(7, inv.total().diskGb());
            ps.setArray(8, tx.createArrayOf("text", inv.traits().stream().sorted().toArray()));
            ps.setTimestamp(9, Timestamp.from(inv.reportedAt()));
            return ps.executeUpdate() == 1;
        }
    }

    /** Every host, ordered by name then id. */
    public List<HostState> list() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(SELECT + " ORDER BY h.name, h.id");
             ResultSet rs = ps.executeQuery()) {
            List<HostState> hosts = new ArrayList<>();
            while (rs.next()) {
                hosts.add(read(rs));
            }
            return hosts;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list hosts: " + e.getMessage(), e);
        }
    }

    public Optional<HostState> find(String id) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(SELECT + " WHERE h.id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read host " + id + ": " + e.getMessage(), e);
        }
    }

    private static HostState read(ResultSet rs) throws SQLException {
        Array traitsArray = rs.getArray("traits");
        Set<String> traits = new TreeSet<>();
        if (traitsArray != null) {
            for (Object t : (Object[]) traitsArray.getArray()) {
                traits.add((String) t);
            }
        }
        return new HostState(rs.getString("id"), rs.getString("name"), rs.getString("hypervisor_type"),
                rs.getString("compute_endpoint"), rs.getBoolean("enabled"),
                new Resources(rs.getInt("total_vcpus"), rs.getLong("total_ram_mb"), rs.getLong("total_disk_gb")),
                new Resources(rs.getInt("used_vcpus"), rs.getLong("used_ram_mb"), rs.getLong("used_disk_gb")),
                traits, rs.getTimestamp("last_heartbeat_at").toInstant(), rs.getLong("generation"),
                rs.getInt("instances"));
    }
}
