package io.virga.tf.resource;

import static io.virga.tf.resource.Values.str;

import com.fasterxml.jackson.databind.JsonNode;
import io.virga.tf.api.VirgaClient;
import io.virga.tf.schema.Attr;
import io.virga.tf.schema.ResourceSchema;
import io.virga.tf.value.CtyType;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** {@code virga_network}: {@code POST/GET/DELETE /v1/networks}; the API has no update, so every change replaces. */
public final class NetworkResource implements Resource {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private static final ResourceSchema SCHEMA = new ResourceSchema("A virtual network.", List.of(
            Attr.computed("id", CtyType.STRING, "The network id (n-…)."),
            Attr.required("name", CtyType.STRING, "1 to 64 of A-Z a-z 0-9 . _ -").forcesNew(),
            Attr.optionalComputed("shared", CtyType.BOOL, "Visible to every project (cloud admin only).")
                    .forcesNew(),
            Attr.computed("status", CtyType.STRING, "The network's status.")));

    @Override
    public String typeName() {
        return "virga_network";
    }

    @Override
    public ResourceSchema schema() {
        return SCHEMA;
    }

    @Override
    public void validate(Map<String, Object> config, Problems problems) {
        String name = str(config, "name");
        if (name != null && !NAME.matcher(name).matches()) {
            problems.add("name", "must be 1 to 64 characters of A-Z a-z 0-9 . _ -");
        }
    }

    @Override
    public Map<String, Object> create(VirgaClient api, Map<String, Object> planned) {
        Map<String, Object> body = Values.obj();
        body.put("name", str(planned, "name"));
        if (Values.bool(planned, "shared") != null) {
            body.put("shared", Values.bool(planned, "shared"));
        }
        return state(api.post("/v1/networks", body));
    }

    @Override
    public Map<String, Object> read(VirgaClient api, Map<String, Object> state) {
        JsonNode n = api.find("/v1/networks/" + VirgaClient.enc(str(state, "id")));
        return n == null ? null : state(n);
    }

    @Override
    public void delete(VirgaClient api, Map<String, Object> state) {
        api.delete("/v1/networks/" + VirgaClient.enc(str(state, "id")));
    }

    static Map<String, Object> state(JsonNode n) {
        Map<String, Object> s = Values.obj();
        s.put("id", n.path("id").asText());
        s.put("name", n.path("name").asText());
        s.put("shared", n.path("shared").asBoolean());
        s.put("status", Values.text(n, "status"));
        return s;
    }
}
