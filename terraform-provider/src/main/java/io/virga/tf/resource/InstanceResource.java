package io.virga.tf.resource;

import static io.virga.tf.resource.Values.str;

import com.fasterxml.jackson.databind.JsonNode;
import io.virga.tf.api.VirgaClient;
import io.virga.tf.schema.Attr;
import io.virga.tf.schema.ResourceSchema;
import io.virga.tf.value.CtyType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code virga_instance}: {@code POST /v1/instances}, then waits until the instance leaves BUILDING
 * (ACTIVE, or ERROR: a failure carrying the fault, the instance kept as tainted). In place: {@code name}
 * ({@code PATCH}) and {@code flavor} (the {@code resize} action, then {@code confirm-resize} once
 * VERIFY_RESIZE: the instance moves host, its ports and addresses stay). Image, networks and user data
 * replace. Delete waits until the instance is DELETED.
 */
public final class InstanceResource implements Resource {
    static final Duration WAIT = Duration.ofMinutes(10);
    private static final CtyType ADDRESS = new CtyType.ObjectOf(mapOf("network", CtyType.STRING,
            "port", CtyType.STRING, "ip", CtyType.STRING, "mac", CtyType.STRING));

    private static final ResourceSchema SCHEMA = new ResourceSchema("A virtual machine or container.", List.of(
            Attr.computed("id", CtyType.STRING, "The instance id (i-…)."),
            Attr.required("name", CtyType.STRING, "1 to 64 of A-Z a-z 0-9 . _ - (changes in place)"),
            Attr.required("flavor", CtyType.STRING, "A flavor id or name; a change resizes in place."),
            Attr.required("image", CtyType.STRING, "An image id or name.").forcesNew(),
            Attr.required("network_ids", CtyType.list(CtyType.STRING), "Networks (ids or names), one NIC each.")
                    .forcesNew(),
            Attr.optional("user_data", CtyType.STRING, "Base64 user data for the guest.").forcesNew(),
            Attr.optional("key_name", CtyType.STRING, "A virga_keypair's name: its key reaches the guest.")
                    .forcesNew(),
            Attr.computed("status", CtyType.STRING, "ACTIVE, STOPPED, ERROR, …"),
            Attr.computed("host", CtyType.STRING, "The host the instance runs on."),
            Attr.computed("flavor_id", CtyType.STRING, "The id of the instance's flavor."),
            Attr.computed("addresses", CtyType.list(ADDRESS), "One entry per NIC: network, port, ip, mac.")));

    private static Map<String, CtyType> mapOf(Object... kv) {
        Map<String, CtyType> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (CtyType) kv[i + 1]);
        }
        return m;
    }

    @Override
    public String typeName() {
        return "virga_instance";
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
        List<String> nets = Values.strings(config, "network_ids");
        if (nets != null && (nets.isEmpty() || nets.size() > 8)) {
            problems.add("network_ids", "give 1 to 8 networks");
        }
        String userData = str(config, "user_data");
        if (userData != null && !userData.matches("[A-Za-z0-9+/=\\s]*")) {
            problems.add("user_data", "must be base64 (use base64encode(...))");
        }
    }

    @Override
    public Set<String> changedByUpdate() {
        return Set.of("status", "host", "flavor_id");
    }

    @Override
    public Map<String, Object> create(VirgaClient api, Map<String, Object> planned) {
        Map<String, Object> body = Values.obj();
        body.put("name", str(planned, "name"));
        body.put("flavor", str(planned, "flavor"));
        body.put("image", str(planned, "image"));
        List<Map<String, String>> nics = new ArrayList<>();
        for (String n : Values.strings(planned, "network_ids")) {
            nics.add(Map.of("network", n));
        }
        body.put("networks", nics);
        if (str(planned, "user_data") != null) {
            body.put("user_data", str(planned, "user_data"));
        }
        if (str(planned, "key_name") != null) {
            body.put("key_name", str(planned, "key_name"));
        }
        String id = api.post("/v1/instances", body).path("id").asText();
        JsonNode i = api.await("/v1/instances/" + id, WAIT, "instance " + id + " to become ACTIVE",
                n -> n == null || !"BUILDING".equals(n.path("status").asText()));
        if (i == null) {
            throw new Failure("instance " + id + " disappeared while it was being built", null);
        }
        Map<String, Object> state = state(i, planned);
        if (!"ACTIVE".equals(i.path("status").asText())) {
            throw new Failure("instance " + id + " is " + i.path("status").asText() + ": "
                    + i.path("fault").path("message").asText("no fault recorded"), state);
        }
        return state;
    }

    @Override
    public Map<String, Object> read(VirgaClient api, Map<String, Object> state) {
        JsonNode i = api.find("/v1/instances/" + VirgaClient.enc(str(state, "id")));
        return i == null || "DELETED".equals(i.path("status").asText()) ? null : state(i, state);
    }

    @Override
    public Map<String, Object> importById(VirgaClient api, String id) {
        JsonNode i = api.find("/v1/instances/" + VirgaClient.enc(id));
        if (i == null || "DELETED".equals(i.path("status").asText())) {
            return null;
        }
        Map<String, Object> given = Values.obj();
        given.put("image", i.path("image").asText());
        List<Object> nets = new ArrayList<>();
        i.path("addresses").forEach(a -> nets.add(a.path("network").asText()));
        given.put("network_ids", nets);
        return state(i, given);
    }

    @Override
    public Map<String, Object> update(VirgaClient api, Map<String, Object> prior, Map<String, Object> planned) {
        String id = str(prior, "id");
        String path = "/v1/instances/" + VirgaClient.enc(id);
        if (!str(planned, "name").equals(str(prior, "name"))) {
            api.patch(path, Map.of("name", str(planned, "name")));
        }
        if (!str(planned, "flavor").equals(str(prior, "flavor"))) {
            api.post(path + "/actions", Map.of("action", "resize", "flavor_id", str(planned, "flavor")));
            JsonNode moved = settled(api, id, "VERIFY_RESIZE");
            if ("VERIFY_RESIZE".equals(moved.path("status").asText())) {
                api.post(path + "/actions", Map.of("action", "confirm-resize"));
            } else {
                throw new Failure("resize of instance " + id + " to " + str(planned, "flavor") + " ended "
                        + moved.path("status").asText() + ": " + moved.path("fault").path("message").asText(""),
                        state(moved, prior));
            }
        }
        JsonNode done = settled(api, id, "ACTIVE");
        Map<String, Object> state = state(done, planned);
        if (!"ACTIVE".equals(done.path("status").asText()) && !"STOPPED".equals(done.path("status").asText())) {
            throw new Failure("instance " + id + " is " + done.path("status").asText() + ": "
                    + done.path("fault").path("message").asText(""), state);
        }
        return state;
    }

    /** Waits until the instance has no task and is {@code status}, ERROR or STOPPED. */
    private static JsonNode settled(VirgaClient api, String id, String status) {
        JsonNode i = api.await("/v1/instances/" + id, WAIT, "instance " + id + " to be " + status,
                n -> n == null || (n.path("task").isNull() || n.path("task").isMissingNode())
                        && Set.of(status, "ERROR", "STOPPED").contains(n.path("status").asText()));
        if (i == null) {
            throw new Failure("instance " + id + " disappeared", null);
        }
        return i;
    }

    @Override
    public void delete(VirgaClient api, Map<String, Object> state) {
        String id = str(state, "id");
        api.delete("/v1/instances/" + VirgaClient.enc(id));
        api.await("/v1/instances/" + id, WAIT, "instance " + id + " to be DELETED",
                n -> n == null || "DELETED".equals(n.path("status").asText()));
    }

    /**
     * The state from the API's view; {@code given} supplies what the view cannot say as the user wrote
     * it: the image and networks (the view has ids, the configuration may have names) and the user data.
     * The flavor stays as written while it names the instance's flavor (by id or name), else it is the
     * flavor's name (drift: the next plan resizes back).
     */
    static Map<String, Object> state(JsonNode i, Map<String, Object> given) {
        Map<String, Object> s = Values.obj();
        s.put("id", i.path("id").asText());
        s.put("name", i.path("name").asText());
        JsonNode flavor = i.path("flavor");
        String written = str(given, "flavor");
        boolean same = written != null && (written.equals(flavor.path("id").asText())
                || written.equals(flavor.path("name").asText()));
        s.put("flavor", same ? written : flavor.path("name").asText());
        s.put("image", str(given, "image") != null ? str(given, "image") : i.path("image").asText());
        s.put("network_ids", given.get("network_ids"));
        s.put("user_data", str(given, "user_data"));
        s.put("key_name", given.containsKey("key_name") ? str(given, "key_name") : Values.text(i, "key_name"));
        s.put("status", i.path("status").asText());
        s.put("host", Values.text(i, "host"));
        s.put("flavor_id", flavor.path("id").asText());
        List<Object> addresses = new ArrayList<>();
        for (JsonNode a : i.path("addresses")) {
            Map<String, Object> m = Values.obj();
            m.put("network", Values.text(a, "network"));
            m.put("port", Values.text(a, "port"));
            m.put("ip", Values.text(a, "ip"));
            m.put("mac", Values.text(a, "mac"));
            addresses.add(m);
        }
        s.put("addresses", addresses);
        return s;
    }
}
