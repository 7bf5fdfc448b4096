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
 * {@code virga_security_group}: {@code POST/GET/DELETE /v1/security-groups}; its rules are
 * {@code virga_security_group_rule} resources. No update in the API, so changes replace.
 */
public final class SecurityGroupResource implements Resource {
    private static final ResourceSchema SCHEMA = new ResourceSchema("A security group.", List.of(
            Attr.computed("id", CtyType.STRING, "The group id."),
            Attr.required("name", CtyType.STRING, "1 to 64 of A-Z a-z 0-9 . _ -").forcesNew(),
            Attr.optionalComputed("description", CtyType.STRING, "A description.").forcesNew()));

    @Override
    public String typeName() {
        return "virga_security_group";
    }

    @Override
    public ResourceSchema schema() {
        return SCHEMA;
    }

    @Override
    public void validate(Map<String, Object> config, Problems problems) {
        String name = str(config, "name");
        if (name != null && !NetworkResource.NAME.matcher(name).matches()) {
            problems.add("name", "must be 1 to 64 characters of A-Z a-z 0-9 . _ -");
        }
    }

    @Override
    public Map<String, Object> create(VirgaClient api, Map<String, Object> planned) {
        Map<String, Object> body = Values.obj();
        body.put("name", str(planned, "name"));
        if (str(planned, "description") != null) {
            body.put("description", str(planned, "description"));
        }
        return state(api.post("/v1/security-groups", body));
    }

    @Override
    public Map<String, Object> read(VirgaClient api, Map<String, Object> state) {
        JsonNode g = api.find("/v1/security-groups/" + VirgaClient.enc(str(state, "id")));
        return g == null ? null : state(g);
    }

    @Override
    public void delete(VirgaClient api, Map<String, Object> state) {
        api.delete("/v1/security-groups/" + VirgaClient.enc(str(state, "id")));
    }

    private static Map<String, Object> state(JsonNode g) {
        Map<String, Object> s = Values.obj();
        s.put("id", g.path("id").asText());
        s.put("name", g.path("name").asText());
        s.put("description", g.path("description").asText(""));
        return s;
    }
}
