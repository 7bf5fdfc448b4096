package io.virga.gateway.stack;

import static io.virga.gateway.stack.Attr.Type.BOOL;
import static io.virga.gateway.stack.Attr.Type.INT;
import static io.virga.gateway.stack.Attr.Type.OBJECT_LIST;
import static io.virga.gateway.stack.Attr.Type.STRING;
import static io.virga.gateway.stack.Attr.Type.STRING_LIST;
import static io.virga.gateway.stack.Attr.opt;
import static io.virga.gateway.stack.Attr.req;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The resource kinds a stack spec may declare, with their settable attributes
 * (named as the REST API's request fields, so that a spec, a REST body and a
 * Terraform resource read alike) and the read-only attributes that references
 * may use besides them (the fields of the API's view, e.g. {@code id}).
 */
public enum Kind {
    NETWORK("network", List.of(req("name", STRING), opt("shared", BOOL), opt("external", BOOL)),
            Set.of("id", "vni", "status", "subnets", "project_id")),
    SUBNET("subnet", List.of(req("network_id", STRING), opt("name", STRING), req("cidr", STRING),
            opt("gateway_ip", STRING), opt("allocation_pools", OBJECT_LIST), opt("dns_nameservers", STRING_LIST),
            opt("host_routes", OBJECT_LIST)), Set.of("id", "project_id")),
    SECURITY_GROUP("security_group", List.of(req("name", STRING), opt("description", STRING)),
            Set.of("id", "security_group_rules", "project_id")),
    SECURITY_GROUP_RULE("security_group_rule", List.of(req("security_group_id", STRING), req("direction", STRING),
            opt("protocol", STRING), opt("port_range_min", INT), opt("port_range_max", INT),
            opt("remote_ip_prefix", STRING), opt("remote_group_id", STRING)), Set.of("id")),
    VOLUME("volume", List.of(req("name", STRING), req("size_gb", INT), opt("volume_type", STRING),
            opt("image_id", STRING), opt("snapshot_id", STRING), opt("source_volume_id", STRING),
            opt("multiattach", BOOL)), Set.of("id", "status", "attachments", "project_id", "bootable")),
    INSTANCE("instance", List.of(req("name", STRING).changeableInPlace(), req("flavor", STRING), req("image", STRING),
            req("networks", OBJECT_LIST), opt("user_data", STRING), opt("server_group", STRING),
            opt("availability_zone", STRING), opt("status", STRING).changeableInPlace()),
            Set.of("id", "addresses", "host", "host_name", "power_state", "task", "volumes", "fault", "project_id")),
    VOLUME_ATTACHMENT("volume_attachment", List.of(req("instance_id", STRING), req("volume_id", STRING)),
            Set.of("id")),
    FLOATING_IP("floating_ip", List.of(req("floating_network_id", STRING), opt("port_id", STRING).changeableInPlace()),
            Set.of("id", "floating_ip_address", "fixed_ip_address", "router_id", "status", "project_id")),
    ROUTER("router", List.of(req("name", STRING), opt("external_network_id", STRING)),
            Set.of("id", "gateway_ip", "subnet_ids", "status", "project_id")),
    ROUTER_INTERFACE("router_interface", List.of(req("router_id", STRING), req("subnet_id", STRING)), Set.of("id"));

    /** Kinds of the API that specs cannot declare yet, named in the error for them. */
    public static final Set<String> NOT_YET = Set.of("keypair", "server_group");

    private final String wireName;
    private final Map<String, Attr> attrs;
    private final Set<String> computed;

    Kind(String wireName, List<Attr> attrs, Set<String> computed) {
        this.wireName = wireName;
        this.attrs = new LinkedHashMap<>();
        attrs.forEach(a -> this.attrs.put(a.name(), a));
        this.computed = computed;
    }

    /** The name in specs ({@code security_group}). */
    public String wireName() {
        return wireName;
    }

    public Map<String, Attr> attrs() {
        return attrs;
    }

    /** True when references may read {@code name}: a settable or a read-only attribute. */
    public boolean readable(String name) {
        return attrs.containsKey(name) || computed.contains(name) || "name".equals(name);
    }

    public static Optional<Kind> of(String wireName) {
        return Arrays.stream(values()).filter(k -> k.wireName.equals(wireName)).findFirst();
    }

    /** The wire names of every kind, sorted, for error messages. */
    public static String known() {
        return String.join(", ", Arrays.stream(values()).map(Kind::wireName).sorted().toList());
    }
}
