package io.virga.network.secgroup;

import io.virga.contracts.events.v1.SecurityGroupChanged;
import io.virga.network.Fields;
import io.virga.network.NetworkEventing;
import io.virga.network.quota.QuotaResource;
import io.virga.network.quota.Quotas;
import io.virga.platform.db.Tx;
import io.virga.platform.events.Topics;
import io.virga.platform.grpc.GrpcErrors;
import io.virga.platform.ids.Ids;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Security groups and their rules, scoped to a project (another project's
 * group or rule is NOT_FOUND). Every rule change appends a
 * {@code io.virga.security-group.changed} event (topic {@value Topics#NETWORK_PORTS},
 * key = group id) in the same transaction, so compute nodes re-resolve the
 * filters of the group's member ports ({@link PortSecurityResolver}).
 * Creates are within the project's quotas (groups, rules), race-free.
 */
@ApplicationScoped
public class SecurityGroupService {
    public static final String TYPE_CHANGED = "io.virga.security-group.changed";

    private final Tx tx;
    private final SecurityGroupRepository groups;
    private final Quotas quotas;
    private final NetworkEventing eventing;

    public SecurityGroupService(Tx tx, SecurityGroupRepository groups, Quotas quotas, NetworkEventing eventing) {
        this.tx = tx;
        this.groups = groups;
        this.quotas = quotas;
        this.eventing = eventing;
    }

    /** A new, empty group (no rules: its ports get nothing in and send nothing out until rules are added). */
    public SecurityGroup create(String projectId, String name, String description) {
        String project = Fields.projectId(projectId);
        String validName = Fields.name("name", name);
        if (SecurityGroup.DEFAULT.equals(validName)) {
            throw GrpcErrors.alreadyExists("every project has its own 'default' group; pick another name");
        }
        String text = description == null ? "" : description;
        if (text.length() > 255) {
            throw GrpcErrors.invalidArgument("description", "at most 255 characters, got " + text.length());
        }
        return tx.run(c -> {
            quotas.reserve(c, project, QuotaResource.SECURITY_GROUPS, 1);
            return groups.insert(c, Ids.newId("sg"), project, validName, text).orElseThrow(() ->
                    GrpcErrors.alreadyExists("security group '" + validName + "' already exists in the project"));
        });
    }

    /**
     * The project's default group, made with its two rules when missing.
     * Concurrent first uses make it once (the second insert waits on the
     * unique name and then finds it).
     */
    public SecurityGroup ensureDefault(Connection c, String projectId) throws SQLException {
        var made = groups.insert(c, Ids.newId("sg"), projectId, SecurityGroup.DEFAULT,
                "members reach each other; all egress");
        if (made.isEmpty()) {
            return groups.findByName(c, projectId, SecurityGroup.DEFAULT).orElseThrow();
        }
        SecurityGroup g = made.get();
        groups.insertRule(c, Ids.newId("sgr"), g.id(), projectId,
                new RuleRequest(SecurityGroupRule.INGRESS, "any", 0, 0, null, g.id()));
        groups.insertRule(c, Ids.newId("sgr"), g.id(), projectId,
                new RuleRequest(SecurityGroupRule.EGRESS, "any", 0, 0, null, null));
        return g;
    }

    /** The project's group with its rules, else NOT_FOUND. */
    public SecurityGroup get(String projectId, String id) {
        String project = Fields.projectId(projectId);
        String groupId = Fields.id("id", id);
        return tx.run(c -> withRules(c, List.of(find(c, project, groupId))).get(0));
    }

    /** The project's groups with their rules, oldest first; the default group is made on first listing. */
    public List<SecurityGroup> list(String projectId) {
        String project = Fields.projectId(projectId);
        return tx.run(c -> {
            ensureDefault(c, project);
            return withRules(c, groups.list(c, project));
        });
    }

    /** Deletes a group; 0 when missing. FAILED_PRECONDITION for the default group or while ports use it. */
    public int delete(String projectId, String id) {
        String project = Fields.projectId(projectId);
        String groupId = Fields.id("id", id);
        return tx.run(c -> {
            var g = groups.find(c, project, groupId);
            if (g.isEmpty()) {
                return 0;
            }
            if (SecurityGroup.DEFAULT.equals(g.get().name())) {
                throw GrpcErrors.failedPrecondition("the default security group cannot be deleted");
            }
            groups.lock(c, groupId);
            List<String> members = groups.members(c, groupId);
            if (!members.isEmpty()) {
                throw GrpcErrors.failedPrecondition("security group " + groupId + " is used by " + members.size()
                        + (members.size() == 1 ? " port" : " ports") + " (" + String.join(", ", members) + ")");
            }
            return groups.delete(c, groupId) ? 1 : 0;
        });
    }

    /** Adds an allow rule; the group's member ports' nodes learn of it through the changed event. */
    public SecurityGroupRule createRule(String projectId, String groupId, RuleRequest raw) {
        String project = Fields.projectId(projectId);
        String group = Fields.id("security_group_id", groupId);
        RuleRequest rule = raw.validate();
        return tx.run(c -> {
            find(c, project, group);
            if (rule.remoteGroupId() != null && groups.find(c, project, rule.remoteGroupId()).isEmpty()) {
                throw GrpcErrors.invalidArgument("remote_group_id", "security group " + rule.remoteGroupId()
                        + " not found");
            }
            groups.lock(c, group);
            quotas.reserve(c, project, QuotaResource.SECURITY_GROUP_RULES, 1);
            SecurityGroupRule made = groups.insertRule(c, Ids.newId("sgr"), group, project, rule);
            announce(c, project, group);
            return made;
        });
    }

    /** Removes a rule; 0 when missing. */
    public int deleteRule(String projectId, String id) {
        String project = Fields.projectId(projectId);
        String ruleId = Fields.id("id", id);
        return tx.run(c -> {
            var rule = groups.findRule(c, project, ruleId);
            if (rule.isEmpty()) {
                return 0;
            }
            groups.lock(c, rule.get().groupId());
            if (groups.deleteRule(c, project, ruleId).isEmpty()) {
                return 0;
            }
            announce(c, project, rule.get().groupId());
            return 1;
        });
    }

    /**
     * The groups a new port joins: the listed ones (each must be the
     * project's: INVALID_ARGUMENT {@code security_group_ids[i]}), or the
     * default group when none is listed.
     */
    public List<String> groupsForPort(Connection c, String projectId, List<String> requested) throws SQLException {
        if (requested.isEmpty()) {
            return List.of(ensureDefault(c, projectId).id());
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < requested.size(); i++) {
            String id = requested.get(i);
            if (groups.find(c, projectId, id).isEmpty()) {
                throw GrpcErrors.invalidArgument("security_group_ids[" + i + "]", "security group " + id + " not found");
            }
            if (!out.contains(id)) {
                out.add(id);
            }
        }
        return out;
    }

    private SecurityGroup find(Connection c, String project, String id) throws SQLException {
        return groups.find(c, project, id).orElseThrow(() -> GrpcErrors.notFound("security group", id));
    }

    private List<SecurityGroup> withRules(Connection c, List<SecurityGroup> list) throws SQLException {
        Map<String, List<SecurityGroupRule>> rules = groups.rulesOf(c, list.stream().map(SecurityGroup::id).toList());
        return list.stream().map(g -> g.withRules(rules.getOrDefault(g.id(), List.of()))).toList();
    }

    private void announce(Connection c, String project, String groupId) throws SQLException {
        eventing.append(c, Topics.NETWORK_PORTS, TYPE_CHANGED, groupId, SecurityGroupChanged.newBuilder()
                .setSecurityGroupId(groupId).setProjectId(project).addAllPortIds(groups.members(c, groupId)).build());
    }
}
