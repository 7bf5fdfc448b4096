package io.virga.scheduler.host;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The hosts table and its inventory rows. Reads return consistent
 * {@link HostState} snapshots; {@link #upsert} applies host reports. Usage
 * counters are never written here: only claims and releases move them (see
 * the claim package). No read here scans allocations.
 */
public final class HostStore {
    /**
     * Inserts a new host, or updates a known one unless the stored heartbeat
     * is newer than the report (a late, out-of-order report changes nothing).
     * The generation moves only when something placement depends on changed;
     * the change sequence moves on every applied report (the heartbeat is
     * what liveness is computed from), so replica caches see it.
     */
    private static final String UPSERT = """
            INSERT INTO hosts (id, name, hypervisor_type, compute_endpoint, traits, last_heartbeat_at)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET
                name = excluded.name,
                hypervisor_type = excluded.hypervisor_type,
                compute_endpoint = excluded.compute_endpoint,
                traits = excluded.traits,
                last_heartbeat_at = excluded.last_heartbeat_at,
                generation = hosts.generation + CASE WHEN
                    (hosts.name, hosts.hypervisor_type, hosts.compute_endpoint, hosts.traits)
                    IS DISTINCT FROM
                    (excluded.name, excluded.hypervisor_type, excluded.compute_endpoint, excluded.traits)
                    THEN 1 ELSE 0 END,
                change_seq = nextval('host_changes'),
                updated_at = now()
            WHERE hosts.last_heartbeat_at <= excluded.last_heartbeat_at
            """;
    /**
     * A reported total (max unit: the capacity it gives); admin-set reserved, min unit, step
     * and a pinned ratio stay.
     */
    private static final String UPSERT_INVENTORY = """
            INSERT INTO inventories (host_id, resource_class, total, min_unit, max_unit, allocation_ratio)
            VALUES (?, ?, ?, least(1, ?), greatest(?, 1), ?)
            ON CONFLICT (host_id, resource_class) DO UPDATE SET
                total = excluded.total,
                max_unit = greatest(excluded.max_unit, inventories.min_unit),
                allocation_ratio = CASE WHEN inventories.ratio_pinned THEN inventories.allocation_ratio
                                        ELSE excluded.allocation_ratio END
            WHERE (inventories.total, inventories.max_unit, inventories.allocation_ratio)
                  IS DISTINCT FROM (excluded.total, greatest(excluded.max_unit, inventories.min_unit),
                  CASE WHEN inventories.ratio_pinned THEN inventories.allocation_ratio ELSE excluded.allocation_ratio END)
            """;
    private static final String BUMP_GENERATION =
            "UPDATE hosts SET generation = generation + 1, change_seq = nextval('host_changes') WHERE id = ?";

    private final DataSource dataSource;
    private final AllocationRatios defaults;

    /** @param defaults ratios given to inventory rows a report creates */
    public HostStore(DataSource dataSource, AllocationRatios defaults) {
        this.dataSource = dataSource;
        this.defaults = defaults;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * Applies a report inside the caller's transaction: the host row, then the
     * inventory rows of VCPU, MEMORY_MB and DISK_GB (totals as reported, even
     * below current usage: placement then sees no room there).
     *
     * @return true when the host row changed, false when the report was older than what is stored
     */
    public boolean upsert(Connection tx, HostInventory inv) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement(UPSERT)) {
            ps.setString(1, inv.hostId());
            ps.setString(2, inv.name());
            ps.setString(3, inv.hypervisorType());
            ps.setString(4, inv.computeEndpoint());
            ps.setArray(5, tx.createArrayOf("text", inv.traits().stream().sorted().toArray()));
            ps.setTimestamp(6, Timestamp.from(inv.reportedAt()));
            if (ps.executeUpdate() != 1) {
                return false;
            }
        }
        int changed = 0;
        try (PreparedStatement ps = tx.prepareStatement(UPSERT_INVENTORY)) {
            changed += inventory(ps, inv.hostId(), ResourceClass.VCPU, inv.total().vcpus());
            changed += inventory(ps, inv.hostId(), ResourceClass.MEMORY_MB, inv.total().ramMb());
            changed += inventory(ps, inv.hostId(), ResourceClass.DISK_GB, inv.total().diskGb());
        }
        if (changed > 0) {
            try (PreparedStatement ps = tx.prepareStatement(BUMP_GENERATION)) {
                ps.setString(1, inv.hostId());
                ps.executeUpdate();
            }
        }
        return true;
    }

    private int inventory(PreparedStatement ps, String hostId, String rc, long total) throws SQLException {
        ps.setString(1, hostId);
        ps.setString(2, rc);
        ps.setLong(3, total);
        ps.setLong(4, total);
        ps.setLong(5, Inventory.defaultMaxUnit(total, defaults.of(rc)));
        ps.setDouble(6, defaults.of(rc));
        return ps.executeUpdate();
    }

    /** A page of hosts ordered by name then id. */
    public record Page(List<HostState> hosts, Optional<String[]> next) {
    }

    /**
     * Up to {@code limit} hosts after the key (name, id), in the database
     * (keyset paging on the primary ordering; only the page's hosts count their claims).
     *
     * @param after the (name, id) of the last host of the previous page, or null for the first page
     */
    public Page page(String[] after, int limit) {
        String sql = "SELECT * FROM (" + HostRows.COLUMNS + ", (SELECT count(*) FROM allocations a WHERE a.host_id = h.id)"
                + " AS instances FROM hosts h" + (after == null ? "" : " WHERE (h.name, h.id) > (?, ?)")
                + " ORDER BY h.name, h.id LIMIT ?) p";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (after != null) {
                ps.setString(i++, after[0]);
                ps.setString(i++, after[1]);
            }
            ps.setInt(i, limit + 1);
            List<HostState> hosts = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    hosts.add(HostRows.read(rs, rs.getInt("instances")));
                }
            }
            if (hosts.size() > limit) {
                HostState last = hosts.get(limit - 1);
                return new Page(hosts.subList(0, limit), Optional.of(new String[] {last.name(), last.id()}));
            }
            return new Page(hosts, Optional.empty());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list hosts: " + e.getMessage(), e);
        }
    }

    /** Every host (tests and small tools only: placement reads the cache). */
    public List<HostState> list() {
        List<HostState> all = new ArrayList<>();
        String[] after = null;
        while (true) {
            Page p = page(after, 1000);
            all.addAll(p.hosts());
            if (p.next().isEmpty()) {
                return all;
            }
            after = p.next().get();
        }
    }

    public Optional<HostState> find(String id) {
        String sql = HostRows.COLUMNS + ", (SELECT count(*) FROM allocations a WHERE a.host_id = h.id) AS instances"
                + " FROM hosts h WHERE h.id = ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(HostRows.read(rs, rs.getInt("instances"))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read host " + id + ": " + e.getMessage(), e);
        }
    }

    /** The newest heartbeat of any host, or null when there is no host. */
    public java.time.Instant newestHeartbeat() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT max(last_heartbeat_at) FROM hosts");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            Timestamp t = rs.getTimestamp(1);
            return t == null ? null : t.toInstant();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the newest heartbeat: " + e.getMessage(), e);
        }
    }

    /** A number that moves whenever hosts are deleted (sequence host_deletions). */
    public long deletions() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT last_value * 2 + CASE WHEN is_called THEN 1 ELSE 0 END FROM host_deletions");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read host deletions: " + e.getMessage(), e);
        }
    }

    /** A host with the change sequence it was read at. */
    public record Versioned(HostState host, long changeSeq) {
    }

    /**
     * Hosts whose change sequence is above {@code seq} (index
     * {@code hosts_change_seq}), without claim counts; {@code seq = -1} reads all.
     */
    public List<Versioned> changedSince(long seq) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(HostRows.COLUMNS + " FROM hosts h WHERE h.change_seq > ?")) {
            ps.setLong(1, seq);
            List<Versioned> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Versioned(HostRows.read(rs, 0), rs.getLong("change_seq")));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read changed hosts: " + e.getMessage(), e);
        }
    }

    /** The hosts {@code ids}, without claim counts (a cache re-reading hosts a claim found changed). */
    public List<Versioned> read(java.util.Collection<String> ids) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(HostRows.COLUMNS + " FROM hosts h WHERE h.id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            List<Versioned> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Versioned(HostRows.read(rs, 0), rs.getLong("change_seq")));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read hosts: " + e.getMessage(), e);
        }
    }
}
