package io.virga.scheduler.host;

import io.virga.platform.db.Tx;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Operator changes to a host: enable / disable / maintenance, and inventory
 * rows. Each runs in one transaction holding the host row's lock and bumps
 * the host's generation and change sequence (replica caches follow).
 *
 * <p>Host admin states: ENABLED --disable(reason)--> DISABLED;
 * ENABLED|DISABLED --maintenance(reason)--> MAINTENANCE; any --enable--> ENABLED.
 * Liveness (UP/DOWN) is separate and derived from heartbeats.
 */
public final class HostAdmin {
    /** A host id that is not known. */
    public static final class UnknownHost extends RuntimeException {
        public UnknownHost(String id) {
            super(id);
        }
    }

    /** A change refused because of what is allocated (nothing changed). */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }

    private final Tx tx;

    public HostAdmin(DataSource dataSource) {
        this.tx = new Tx(dataSource);
    }

    /**
     * @param action enable, disable or maintenance
     * @throws IllegalArgumentException for another action
     */
    public void act(String hostId, String action, String reason) {
        String set = switch (action) {
            case "enable" -> "enabled = true, disabled_reason = '', maintenance = false";
            case "disable" -> "enabled = false, disabled_reason = ?, maintenance = false";
            case "maintenance" -> "maintenance = true, disabled_reason = ?";
            default -> throw new IllegalArgumentException("action must be enable, disable or maintenance");
        };
        tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE hosts SET " + set
                    + ", generation = generation + 1, change_seq = nextval('host_changes'), updated_at = now()"
                    + " WHERE id = ?")) {
                int i = 1;
                if (!"enable".equals(action)) {
                    ps.setString(i++, reason);
                }
                ps.setString(i, hostId);
                if (ps.executeUpdate() == 0) {
                    throw new UnknownHost(hostId);
                }
            }
            return null;
        });
    }

    /**
     * Sets one inventory row. {@code minUnit}, {@code maxUnit}, {@code step} and
     * {@code ratio} of 0 keep the current value (new rows: 1, the capacity, 1, 1.0);
     * a given ratio is pinned (reports keep it). For the reported classes (VCPU,
     * MEMORY_MB, DISK_GB) the total comes from the host report and {@code total}
     * is ignored.
     *
     * @throws Refused when the new capacity is below what is allocated
     */
    public void setInventory(String hostId, String rc, long total, long reserved, long minUnit, long maxUnit,
                             long step, double ratio) {
        tx.run(c -> {
            lock(c, hostId);
            Inventory current = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT total, reserved, min_unit, max_unit, step_size,"
                    + " allocation_ratio, used FROM inventories WHERE host_id = ? AND resource_class = ?")) {
                ps.setString(1, hostId);
                ps.setString(2, rc);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        current = new Inventory(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                                rs.getLong(5), rs.getDouble(6), rs.getLong(7));
                    }
                }
            }
            boolean reported = ResourceClass.VCPU.equals(rc) || ResourceClass.MEMORY_MB.equals(rc)
                    || ResourceClass.DISK_GB.equals(rc);
            long used = current == null ? 0 : current.used();
            long newTotal = reported && current != null ? current.total() : total;
            double newRatio = ratio > 0 ? ratio : current != null ? current.allocationRatio() : 1.0;
            long newMin = minUnit > 0 ? minUnit : current != null ? current.minUnit() : 1;
            long newMax = maxUnit > 0 ? maxUnit : current != null ? current.maxUnit()
                    : Inventory.defaultMaxUnit(newTotal, newRatio);
            long newStep = step > 0 ? step : current != null ? current.stepSize() : 1;
            if (newMax < newMin) {
                throw new IllegalArgumentException("max_unit " + newMax + " is below min_unit " + newMin);
            }
            Inventory next = new Inventory(newTotal, reserved, newMin, newMax, newStep, newRatio, used);
            if (next.capacity() < used) {
                throw new Refused(rc + " on " + hostId + ": capacity would be " + next.capacity()
                        + " but " + used + " is allocated");
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO inventories (host_id, resource_class, total, reserved, min_unit, max_unit, step_size,
                                             allocation_ratio, ratio_pinned)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (host_id, resource_class) DO UPDATE SET total = excluded.total,
                        reserved = excluded.reserved, min_unit = excluded.min_unit, max_unit = excluded.max_unit,
                        step_size = excluded.step_size, allocation_ratio = excluded.allocation_ratio,
                        ratio_pinned = inventories.ratio_pinned OR excluded.ratio_pinned
                    """)) {
                ps.setString(1, hostId);
                ps.setString(2, rc);
                ps.setLong(3, newTotal);
                ps.setLong(4, reserved);
                ps.setLong(5, newMin);
                ps.setLong(6, newMax);
                ps.setLong(7, newStep);
                ps.setDouble(8, newRatio);
                ps.setBoolean(9, ratio > 0);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE hosts SET generation = generation + 1,"
                    + " change_seq = nextval('host_changes'), updated_at = now() WHERE id = ?")) {
                ps.setString(1, hostId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    static void lock(Connection c, String hostId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM hosts WHERE id = ? FOR UPDATE")) {
            ps.setString(1, hostId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new UnknownHost(hostId);
                }
            }
        }
    }
}
