package io.virga.tf.resource;

import static io.virga.tf.resource.Values.str;

import com.fasterxml.jackson.databind.JsonNode;
import io.virga.tf.api.VirgaClient;
import io.virga.tf.schema.Attr;
import io.virga.tf.schema.ResourceSchema;
import io.virga.tf.value.CtyType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code virga_floating_ip}: {@code POST /v1/floating-ips} on an external network; {@code port_id}
 * (associate with an instance's port, e.g. {@code virga_instance.web.addresses[0].port}) changes in
 * place with {@code PATCH}; delete releases it.
 */
public final class FloatingIpResource implements Resource {
    private static final ResourceSchema SCHEMA = new ResourceSchema("An external address.", List.of(
            Attr.computed("id", CtyType.STRING, "The floating IP id."),
            Attr.required("floating_network_id", CtyType.STRING, "The external network.").forcesNew(),
            Attr.optional("port_id", CtyType.STRING, "The port to associate (changes in place)."),
            Attr.computed("address", CtyType.STRING, "The external address."),
            Attr.computed("fixed_ip_address", CtyType.STRING, "The associated port's address."),
            Attr.computed("status", CtyType.STRING, "The floating IP's status.")));

    @Override
    public String typeName() {
        return "virga_floating_ip";
    }

    @Override
    public ResourceSchema schema() {
        return SCHEMA;
    }

    @Override
    public Set<String> changedByUpdate() {
        return Set.of("fixed_ip_address", "status");
    }

    @Override
    public Map<String, Object> create(VirgaClient api, Map<String, Object> planned) {
        Map<String, Object> body = Values.obj();
        body.put("floating_network_id", str(planned, "floating_network_id"));
        if (str(planned, "port_id") != null) {
            body.put("port_id", str(planned, "port_id"));
        }
        return state(api.post("/v1/floating-ips", body));
    }

    @Override
    public Map<String, Object> read(VirgaClient api, Map<String, Object> state) {
        JsonNode f = api.find("/v1/floating-ips/" + VirgaClient.enc(str(state, "id")));
        return f == null ? null : state(f);
    }

    @Override
    public Map<String, Object> update(VirgaClient api, Map<String, Object> prior, Map<String, Object> planned) {
        Map<String, Object> body = new HashMap<>();
        body.put("port_id", str(planned, "port_id"));
        return state(api.patch("/v1/floating-ips/" + VirgaClient.enc(str(prior, "id")), body));
    }

    @Override
    public void delete(VirgaClient api, Map<String, Object> state) {
        api.delete("/v1/floating-ips/" + VirgaClient.enc(str(state, "id")));
    }

    private static Map<String, Object> state(JsonNode f) {
        Map<String, Object> s = Values.obj();
        s.put("id", f.path("id").asText());
        s.put("floating_network_id", f.path("floating_network_id").asText());
        s.put("port_id", Values.text(f, "port_id"));
        s.put("address", Values.text(f, "floating_ip_address"));
        s.put("fixed_ip_address", Values.text(f, "fixed_ip_address"));
        s.put("status", Values.text(f, "status"));
        return s;
    }
}
