package io.virga.tf.resource;

import static io.virga.tf.resource.Values.str;

import com.fasterxml.jackson.databind.JsonNode;
import io.virga.tf.api.VirgaClient;
import io.virga.tf.schema.Attr;
import io.virga.tf.schema.ResourceSchema;
import io.virga.tf.value.CtyType;
import java.util.List;
import java.util.Map;

/**
 * {@code virga_security_group_rule}: {@code POST /v1/security-groups/{id}/rules}, read from the group's
 * rule list, {@code DELETE …/rules/{rule}}; rules are immutable, so changes replace.
 * Import id: {@code <group id>/<rule id>}.
 */
public final class SecurityGroupRuleResource implements Resource {
    private static final ResourceSchema SCHEMA = new ResourceSchema("One rule of a security group.", List.of(
            Attr.computed("id", CtyType.STRING, "The rule id."),
            Attr.required("security_group_id", CtyType.STRING, "The group's id.").forcesNew(),
            Attr.required("direction", CtyType.STRING, "ingress or egress").forcesNew(),
            Attr.optionalComputed("protocol", CtyType.STRING, "tcp, udp, icmp (default: any)").forcesNew(),
            Attr.optional("port_range_min", CtyType.NUMBER, "First port (1-65535)").forcesNew(),
            Attr.optional("port_range_max", CtyType.NUMBER, "Last port (1-65535)").forcesNew(),
            Attr.optional("remote_ip_prefix", CtyType.STRING, "A CIDR the traffic comes from / goes to")
                    .forcesNew(),
            Attr.optional("remote_group_id", CtyType.STRING, "A group whose members are the peers").forcesNew()));

    @Override
    public String typeName() {
        return "virga_security_group_rule";
    }

    @Override
    public ResourceSchema schema() {
        return SCHEMA;
    }

    @Override
    public void validate(Map<String, Object> config, Problems problems) {
        String direction = str(config, "direction");
        if (direction != null && !direction.equals("ingress") && !direction.equals("egress")) {
            problems.add("direction", "must be ingress or egress");
        }
        Long min = Values.num(config, "port_range_min");
        Long max = Values.num(config, "port_range_max");
        if (min != null && (min < 1 || min > 65535)) {
            problems.add("port_range_min", "must be a port from 1 to 65535");
        }
        if (max != null && (max < 1 || max > 65535)) {
            problems.add("port_range_max", "must be a port from 1 to 65535");
        }
        if (min != null && max != null && min > max) {
            problems.add("port_range_max", "must not be below port_range_min");
        }
        String prefix = str(config, "remote_ip_prefix");
        if (prefix != null && !SubnetResource.CIDR.matcher(prefix).matches()) {
            problems.add("remote_ip_prefix", "must be an IPv4 CIDR such as 0.0.0.0/0");
        }
        if (prefix != null && str(config, "remote_group_id") != null) {
            problems.add("remote_group_id", "give remote_ip_prefix or remote_group_id, not both");
        }
    }

    @Override
    public Map<String, Object> create(VirgaClient api, Map<String, Object> planned) {
        Map<String, Object> body = Values.obj();
        body.put("direction", str(planned, "direction"));
        for (String f : List.of("protocol", "remote_ip_prefix", "remote_group_id")) {
            if (str(planned, f) != null) {
                body.put(f, str(planned, f));
            }
        }
        for (String f : List.of("port_range_min", "port_range_max")) {
            if (Values.num(planned, f) != null) {
                body.put(f, Values.num(planned, f));
            }
        }
        return state(api.post("/v1/security-groups/" + VirgaClient.enc(str(planned, "security_group_id"))
                + "/rules", body));
    }

    @Override
    public Map<String, Object> read(VirgaClient api, Map<String, Object> state) {
        JsonNode group = api.find("/v1/security-groups/" + VirgaClient.enc(str(state, "security_group_id")));
        if (group == null) {
            return null;
        }
        for (JsonNode r : group.path("security_group_rules")) {
            if (r.path("id").asText().equals(str(state, "id"))) {
                return state(r);
            }
        }
        return null;
    }

    @Override
    public void delete(VirgaClient api, Map<String, Object> state) {
        api.delete("/v1/security-groups/" + VirgaClient.enc(str(state, "security_group_id")) + "/rules/"
                + VirgaClient.enc(str(state, "id")));
    }

    @Override
    public Map<String, Object> importById(VirgaClient api, String id) {
        String[] parts = Values.pair(id);
        if (parts == null) {
            throw new IllegalArgumentException("import a rule as <security group id>/<rule id>");
        }
        return read(api, Map.of("security_group_id", parts[0], "id", parts[1]));
    }

    private static Map<String, Object> state(JsonNode r) {
        Map<String, Object> s = Values.obj();
        s.put("id", r.path("id").asText());
        s.put("security_group_id", r.path("security_group_id").asText());
        s.put("direction", r.path("direction").asText());
        s.put("protocol", r.path("protocol").asText(""));
        s.put("port_range_min", Values.number(r, "port_range_min"));
        s.put("port_range_max", Values.number(r, "port_range_max"));
        s.put("remote_ip_prefix", Values.text(r, "remote_ip_prefix"));
        s.put("remote_group_id", Values.text(r, "remote_group_id"));
        return s;
    }
}
