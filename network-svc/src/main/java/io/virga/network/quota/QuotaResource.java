package io.virga.network.quota;

import java.util.Arrays;
import java.util.Optional;

/** The network resources a project's quota limits, their default limit and how usage is counted. */
public enum QuotaResource {
    NETWORKS("networks", 100, "SELECT count(*) FROM networks WHERE project_id = ?"),
    SUBNETS("subnets", 100, "SELECT count(*) FROM subnets WHERE project_id = ?"),
    PORTS("ports", 500, "SELECT count(*) FROM ports WHERE project_id = ?"),
    SECURITY_GROUPS("security_groups", 50, "SELECT count(*) FROM security_groups WHERE project_id = ?"),
    SECURITY_GROUP_RULES("security_group_rules", 500,
            "SELECT count(*) FROM security_group_rules WHERE project_id = ?"),
    FLOATING_IPS("floating_ips", 50, "SELECT count(*) FROM floating_ips WHERE project_id = ?"),
    ROUTERS("routers", 10, "SELECT count(*) FROM routers WHERE project_id = ?");

    private final String wireName;
    private final int defaultLimit;
    private final String usageSql;

    QuotaResource(String wireName, int defaultLimit, String usageSql) {
        this.wireName = wireName;
        this.defaultLimit = defaultLimit;
        this.usageSql = usageSql;
    }

    public String wireName() {
        return wireName;
    }

    public int defaultLimit() {
        return defaultLimit;
    }

    String usageSql() {
        return usageSql;
    }

    public static Optional<QuotaResource> of(String wireName) {
        return Arrays.stream(values()).filter(r -> r.wireName.equals(wireName)).findFirst();
    }
}
