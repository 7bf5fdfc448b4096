package io.virga.gateway.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virga.gateway.network.FloatingIpResource;
import io.virga.gateway.network.NetworkResource;
import io.virga.gateway.network.RouterResource;
import io.virga.gateway.secgroup.SecurityGroupResource;
import java.util.List;
import java.util.Optional;

/**
 * Networks, subnets, security groups and rules, floating IPs, routers and router interfaces through
 * the gateway's own resources (same validation and tenant checks as REST). Runs as the caller set by
 * {@link CloudWorld}. Ids without an API id of their own: a rule's is its id, a router interface's
 * {@code router_id/subnet_id}.
 */
final class NetworkKinds {
    private final NetworkResource networks;
    private final SecurityGroupResource groups;
    private final FloatingIpResource floatingIps;
    private final RouterResource routers;
    private final Calls calls;

    NetworkKinds(NetworkResource networks, SecurityGroupResource groups, FloatingIpResource floatingIps,
            RouterResource routers, Calls calls) {
        this.networks = networks;
        this.groups = groups;
        this.floatingIps = floatingIps;
        this.routers = routers;
        this.calls = calls;
    }

    JsonNode create(Kind kind, JsonNode in) {
        return switch (kind) {
            case NETWORK -> calls.tree(Calls.call(() -> networks.create(
                    calls.body(in, NetworkResource.CreateNetwork.class))));
            case SUBNET -> calls.tree(Calls.call(() -> networks.createSubnet(in.path("network_id").asText(),
                    calls.body(in, NetworkResource.CreateSubnet.class, "network_id"))));
            case SECURITY_GROUP -> calls.tree(Calls.call(() -> groups.create(
                    calls.body(in, SecurityGroupResource.CreateGroup.class))));
            case SECURITY_GROUP_RULE -> calls.tree(Calls.call(() -> groups.createRule(
                    in.path("security_group_id").asText(),
                    calls.body(in, SecurityGroupResource.CreateRule.class, "security_group_id"))));
            case FLOATING_IP -> calls.tree(Calls.call(() -> floatingIps.create(
                    calls.body(in, FloatingIpResource.CreateFloatingIp.class))));
            case ROUTER -> calls.tree(Calls.call(() -> routers.create(
                    calls.body(in, RouterResource.CreateRouter.class))));
            case ROUTER_INTERFACE -> {
                String router = in.path("router_id").asText();
                String subnet = in.path("subnet_id").asText();
                JsonNode view = calls.tree(Calls.call(() -> routers.addInterface(router,
                        new RouterResource.AddInterface(subnet))));
                yield interfaceView(router, subnet, view);
            }
            default -> throw new IllegalArgumentException(kind.wireName());
        };
    }

    Optional<JsonNode> read(Kind kind, String id, JsonNode in) {
        return switch (kind) {
            case NETWORK -> Calls.find(() -> calls.tree(networks.get(id, null)));
            case SUBNET -> Calls.find(() -> calls.tree(networks.get(in.path("network_id").asText(), null)))
                    .flatMap(n -> find(n.path("subnets"), id));
            case SECURITY_GROUP -> Calls.find(() -> calls.tree(groups.get(id, null)));
            case SECURITY_GROUP_RULE -> Calls.find(() -> calls.tree(groups.get(in.path("security_group_id").asText(),
                    null))).flatMap(g -> find(g.path("security_group_rules"), id));
            case FLOATING_IP -> Calls.find(() -> calls.tree(floatingIps.get(id, null)));
            case ROUTER -> Calls.find(() -> calls.tree(routers.get(id, null)));
            case ROUTER_INTERFACE -> Calls.find(() -> calls.tree(routers.get(in.path("router_id").asText(), null)))
                    .filter(r -> r.path("subnet_ids").toString().contains("\"" + in.path("subnet_id").asText() + "\""))
                    .map(r -> interfaceView(in.path("router_id").asText(), in.path("subnet_id").asText(), r));
            default -> throw new IllegalArgumentException(kind.wireName());
        };
    }

    JsonNode update(Kind kind, String id, JsonNode in, List<Plan.Change> changes) {
        if (kind != Kind.FLOATING_IP) {
            throw new World.Failed(kind.wireName() + " has nothing to change in place", null);
        }
        ObjectNode patch = JsonNodeFactory.instance.objectNode();
        patch.set("port_id", in.path("port_id").isMissingNode() ? JsonNodeFactory.instance.nullNode()
                : in.get("port_id"));
        return calls.tree(Calls.call(() -> floatingIps.update(id, null, patch)));
    }

    void delete(Kind kind, String id, JsonNode in) {
        switch (kind) {
            case NETWORK -> Calls.delete(() -> networks.delete(id));
            case SUBNET -> Calls.delete(() -> networks.deleteSubnet(in.path("network_id").asText(), id));
            case SECURITY_GROUP -> Calls.delete(() -> groups.delete(id));
            case SECURITY_GROUP_RULE -> Calls.delete(() -> groups.deleteRule(in.path("security_group_id").asText(),
                    id));
            case FLOATING_IP -> Calls.delete(() -> floatingIps.delete(id));
            case ROUTER -> Calls.delete(() -> routers.delete(id));
            case ROUTER_INTERFACE -> {
                if (read(kind, id, in).isPresent()) {
                    Calls.delete(() -> routers.removeInterface(in.path("router_id").asText(),
                            in.path("subnet_id").asText()));
                }
            }
            default -> throw new IllegalArgumentException(kind.wireName());
        }
    }

    private static Optional<JsonNode> find(JsonNode list, String id) {
        for (JsonNode x : list) {
            if (id.equals(x.path("id").asText())) {
                return Optional.of(x);
            }
        }
        return Optional.empty();
    }

    private static JsonNode interfaceView(String router, String subnet, JsonNode routerView) {
        return JsonNodeFactory.instance.objectNode().put("id", router + "/" + subnet).put("router_id", router)
                .put("subnet_id", subnet).put("status", routerView.path("status").asText());
    }
}
