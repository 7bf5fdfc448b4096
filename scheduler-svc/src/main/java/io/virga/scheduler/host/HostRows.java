package io.virga.scheduler.host;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one SELECT that reads hosts with their inventory rows, aggregates and
 * restrictions (no count of allocations), and its row mapper. Inventories
 * travel as one text per host ({@code rc:total:reserved:min:max:step:ratio:used,…});
 * PostgreSQL prints float8 in shortest round-trip form, so the ratio read
 * back is the exact double the claim's SQL uses.
 */
final class HostRows {
    static final String COLUMNS = """
            SELECT h.id, h.name, h.hypervisor_type, h.compute_endpoint, h.enabled, h.disabled_reason,
                   h.maintenance, h.traits, h.last_heartbeat_at, h.generation, h.change_seq, h.availability_zone,
                   (SELECT string_agg(i.resource_class || ':' || i.total || ':' || i.reserved || ':' || i.min_unit
                           || ':' || i.max_unit || ':' || i.step_size || ':' || i.allocation_ratio || ':' || i.used, ',')
                      FROM inventories i WHERE i.host_id = h.id) AS inv,
                   (SELECT string_agg(ah.aggregate_id, ',') FROM aggregate_hosts ah WHERE ah.host_id = h.id) AS aggs,
                   (SELECT string_agg(a.metadata ->> 'filter_project_ids', ',')
                      FROM aggregate_hosts ah JOIN aggregates a ON a.id = ah.aggregate_id
                     WHERE ah.host_id = h.id) AS projects,
                   (SELECT string_agg(a.metadata ->> 'filter_flavor_ids', ',')
                      FROM aggregate_hosts ah JOIN aggregates a ON a.id = ah.aggregate_id
                     WHERE ah.host_id = h.id) AS flavors
            """;

    private HostRows() {
    }

    static HostState read(ResultSet rs, int instances) throws SQLException {
        Array traitsArray = rs.getArray("traits");
        Set<String> traits = new TreeSet<>();
        if (traitsArray != null) {
            for (Object t : (Object[]) traitsArray.getArray()) {
                traits.add((String) t);
            }
        }
        HostPlacement placement = new HostPlacement(rs.getString("availability_zone"), split(rs.getString("aggs")),
                split(rs.getString("projects")), split(rs.getString("flavors")));
        return new HostState(rs.getString("id"), rs.getString("name"), rs.getString("hypervisor_type"),
                rs.getString("compute_endpoint"), rs.getBoolean("enabled"), rs.getString("disabled_reason"),
                rs.getBoolean("maintenance"), inventories(rs.getString("inv")), traits,
                rs.getTimestamp("last_heartbeat_at").toInstant(), rs.getLong("generation"), instances, placement);
    }

    static Map<String, Inventory> inventories(String text) {
        Map<String, Inventory> m = new HashMap<>();
        if (text == null || text.isEmpty()) {
            return m;
        }
        for (String row : text.split(",")) {
            String[] f = row.split(":");
            m.put(f[0], new Inventory(Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                    Long.parseLong(f[4]), Long.parseLong(f[5]), Double.parseDouble(f[6]), Long.parseLong(f[7])));
        }
        return m;
    }

    private static Set<String> split(String csv) {
        Set<String> out = new TreeSet<>();
        if (csv != null) {
            for (String s : csv.split(",")) {
                if (!s.isBlank()) {
                    out.add(s.strip());
                }
            }
        }
        return out;
    }
}
