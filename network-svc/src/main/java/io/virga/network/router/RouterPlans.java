package io.virga.network.router;

import io.virga.platform.db.Tx;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the router node realises: every router with its gateway leg, its
 * interface legs and its 1:1 NAT bindings, read in one snapshot.
 */
@ApplicationScoped
public class RouterPlans {
    private final Tx tx;

    public RouterPlans(Tx tx) {
        this.tx = tx;
    }

    /** A router's address on a network's bridge: {@code address} with prefix, e.g. 10.0.0.1/24. */
    public record Leg(int vni, String address) {
    }

    public record Nat(String floatingIp, String fixedIp) {
    }

    /** One router; {@code externalGateway} is the next hop of its default route. */
    public record Plan(String routerId, Leg gateway, String externalGateway, List<Leg> interfaces, List<Nat> nat) {
    }

    /** Every router, oldest first. */
    public List<Plan> all() {
        return tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")) {
                ps.execute(); // one snapshot for the three reads, this transaction only
            }
            Map<String, Plan> plans = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT r.id, n.vni, host(r.gateway_ip) || '/'"
                    + " || masklen(s.cidr), host(s.gateway_ip) FROM routers r JOIN networks n ON n.id ="
                    + " r.external_network_id JOIN subnets s ON s.id = r.gateway_subnet_id ORDER BY r.created_at, r.id");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    plans.put(rs.getString(1), new Plan(rs.getString(1), new Leg(rs.getInt(2), rs.getString(3)),
                            rs.getString(4), new ArrayList<>(), new ArrayList<>()));
                }
            }
            query(c, "SELECT i.router_id, n.vni, host(s.gateway_ip) || '/' || masklen(s.cidr), '' FROM"
                    + " router_interfaces i JOIN subnets s ON s.id = i.subnet_id JOIN networks n ON n.id = s.network_id"
                    + " ORDER BY i.created_at, i.subnet_id", plans, true);
            query(c, "SELECT i.router_id, 0, host(f.ip), host(p.ip) FROM floating_ips f JOIN ports p ON p.id ="
                    + " f.port_id JOIN router_interfaces i ON i.subnet_id = p.subnet_id ORDER BY f.ip", plans, false);
            return List.copyOf(plans.values());
        });
    }

    private static void query(Connection c, String sql, Map<String, Plan> plans, boolean legs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Plan p = plans.get(rs.getString(1));
                if (p == null) {
                    continue;
                }
                if (legs) {
                    p.interfaces().add(new Leg(rs.getInt(2), rs.getString(3)));
                } else {
                    p.nat().add(new Nat(rs.getString(3), rs.getString(4)));
                }
            }
        }
    }
}
