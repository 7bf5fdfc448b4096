package io.virga.gateway.secgroup;

import io.virga.contracts.network.v1.SecurityGroup;
import io.virga.contracts.network.v1.SecurityGroupRule;
import java.util.List;

/** JSON shapes of security groups and rules (OpenStack's field names). */
public final class SecurityGroupViews {
    private SecurityGroupViews() {
    }

    public record GroupView(String id, String projectId, String name, String description,
            List<RuleView> securityGroupRules, String createdAt) {
        static GroupView of(SecurityGroup g) {
            return new GroupView(g.getId(), g.getProjectId(), g.getName(), g.getDescription(),
                    g.getRulesList().stream().map(RuleView::of).toList(), g.getCreatedAt());
        }
    }

    /** A rule; port range and remote fields are null when absent (every port, anywhere). */
    public record RuleView(String id, String securityGroupId, String direction, String protocol,
            Integer portRangeMin, Integer portRangeMax, String remoteIpPrefix, String remoteGroupId,
            String createdAt) {
        static RuleView of(SecurityGroupRule r) {
            return new RuleView(r.getId(), r.getSecurityGroupId(), r.getDirection(), r.getProtocol(),
                    r.getPortRangeMin() == 0 ? null : r.getPortRangeMin(),
                    r.getPortRangeMax() == 0 ? null : r.getPortRangeMax(),
                    r.getRemoteIpPrefix().isEmpty() ? null : r.getRemoteIpPrefix(),
                    r.getRemoteGroupId().isEmpty() ? null : r.getRemoteGroupId(), r.getCreatedAt());
        }
    }
}
