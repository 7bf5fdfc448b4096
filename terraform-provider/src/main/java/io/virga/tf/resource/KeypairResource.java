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
 * {@code virga_keypair}: an SSH public key, {@code POST/GET/DELETE /v1/keypairs[/{name}]}; the name is its id
 * and instances name it in {@code key_name}. Keys are immutable, so changes replace. Import id: the name.
 */
public final class KeypairResource implements Resource {
    private static final ResourceSchema SCHEMA = new ResourceSchema("An SSH public key.", List.of(
            Attr.computed("id", CtyType.STRING, "The key pair's name."),
            Attr.required("name", CtyType.STRING, "1 to 64 of A-Z a-z 0-9 . _ -").forcesNew(),
            Attr.required("public_key", CtyType.STRING, "An OpenSSH public key line.").forcesNew(),
            Attr.computed("fingerprint", CtyType.STRING, "The key's fingerprint."),
            Attr.computed("type", CtyType.STRING, "The key type.")));

    @Override
    public String typeName() {
        return "virga_keypair";
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
        String key = str(config, "public_key");
        if (key != null && !key.trim().matches("(ssh-[a-z0-9]+|ecdsa-sha2-[a-z0-9]+) [A-Za-z0-9+/=]+( .*)?")) {
            problems.add("public_key", "must be an OpenSSH public key line such as \"ssh-ed25519 AAAA... me@host\"");
        }
    }

    @Override
    public Map<String, Object> create(VirgaClient api, Map<String, Object> planned) {
        JsonNode k = api.post("/v1/keypairs", Map.of("name", str(planned, "name"),
                "public_key", str(planned, "public_key")));
        return state(k, str(planned, "public_key"));
    }

    @Override
    public Map<String, Object> read(VirgaClient api, Map<String, Object> state) {
        JsonNode k = api.find("/v1/keypairs/" + VirgaClient.enc(str(state, "id")));
        return k == null ? null : state(k, str(state, "public_key"));
    }

    @Override
    public void delete(VirgaClient api, Map<String, Object> state) {
        api.delete("/v1/keypairs/" + VirgaClient.enc(str(state, "id")));
    }

    /** The state; the public key stays as written (the API may normalise its whitespace). */
    private static Map<String, Object> state(JsonNode k, String written) {
        Map<String, Object> s = Values.obj();
        s.put("id", k.path("name").asText());
        s.put("name", k.path("name").asText());
        s.put("public_key", written != null ? written : k.path("public_key").asText());
        s.put("fingerprint", Values.text(k, "fingerprint"));
        s.put("type", Values.text(k, "type"));
        return s;
    }
}
