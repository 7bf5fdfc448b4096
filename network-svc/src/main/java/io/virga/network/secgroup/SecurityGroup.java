package io.virga.network.secgroup;

import java.time.Instant;
import java.util.List;

/**
 * A project's named set of allow rules. A port in no group gets the project's
 * {@value #DEFAULT} group, made on first use with two rules: ingress of any
 * protocol from members of the group itself, and egress of anything. Traffic
 * no rule of a port's groups allows is dropped (stateful: replies to allowed
 * connections pass). Lifecycle: created → (rules added / removed) → deleted,
 * which is refused while ports use it and for the default group.
 */
public record SecurityGroup(String id, String projectId, String name, String description, Instant createdAt,
        List<SecurityGroupRule> rules) {
    public static final String DEFAULT = "default";

    public SecurityGroup withRules(List<SecurityGroupRule> r) {
        return new SecurityGroup(id, projectId, name, description, createdAt, List.copyOf(r));
    }
}
