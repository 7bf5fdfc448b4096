package io.virga.tf.resource;

import static io.virga.tf.resource.Values.str;

import com.fasterxml.jackson.databind.JsonNode;
import io.virga.tf.api.VirgaClient;
import io.virga.tf.schema.Attr;
import io.virga.tf.schema.ResourceSchema;
import io.virga.tf.value.CtyType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code virga_volume}: {@code POST /v1/volumes} and wait until AVAILABLE; growing {@code size_gb} is
 * the {@code extend} action in place, shrinking replaces (the API cannot shrink); delete waits until gone.
 */
public final class VolumeResource implements Resource {
    static final Duration WAIT = Duration.ofMinutes(10);
    private static final Set<String> BUSY = Set.of("CREATING", "EXTENDING", "ATTACHING", "DETACHING",
            "SNAPSHOTTING", "REVERTING");

    private static final ResourceSchema SCHEMA = new ResourceSchema("A block storage volume.", List.of(
            Attr.computed("id", CtyType.STRING, "The volume id (v-…)."),
            Attr.required("name", CtyType.STRING, "A name.").forcesNew(),
            Attr.required("size_gb", CtyType.NUMBER, "Size in GiB; growing extends in place, shrinking replaces."),
            Attr.optional("image_id", CtyType.STRING, "Create from this image (copy-on-write).").forcesNew(),
            Attr.optionalComputed("volume_type", CtyType.STRING, "The volume type.").forcesNew(),
            Attr.computed("status", CtyType.STRING, "AVAILABLE, IN_USE, …")));

    @Override
    public String typeName() {
        return "virga_volume";
    }

    @Override
    public ResourceSchema schema() {
        return SCHEMA;
    }

    @Override
    public void validate(Map<String, Object> config, Problems problems) {
        Long size = Values.num(config, "size_gb");
        if (size != null && size < 1) {
            problems.add("size_gb", "must be at least 1 (GiB)");
        }
    }

    @Override
    public List<String> replaceWhen(Map<String, Object> prior, Map<String, Object> proposed) {
        Long before = Values.num(prior, "size_gb");
        Long after = Values.num(proposed, "size_gb");
        return before != null && after != null && after < before ? List.of("size_gb") : List.of();
    }

    @Override
    public Set<String> changedByUpdate() {
        return Set.of("status");
    }

    @Override
    public Map<String, Object> create(VirgaClient api, Map<String, Object> planned) {
        Map<String, Object> body = Values.obj();
        body.put("name", str(planned, "name"));
        body.put("size_gb", Values.num(planned, "size_gb"));
        if (str(planned, "image_id") != null) {
            body.put("image_id", str(planned, "image_id"));
        }
        if (str(planned, "volume_type") != null) {
            body.put("volume_type", str(planned, "volume_type"));
        }
        String id = api.post("/v1/volumes", body).path("id").asText();
        return settle(api, id);
    }

    /** Waits until the volume leaves its busy states; ERROR is a {@link Failure} keeping the volume. */
    private Map<String, Object> settle(VirgaClient api, String id) {
        JsonNode v = api.await("/v1/volumes/" + id, WAIT, "volume " + id,
                n -> n == null || !BUSY.contains(n.path("status").asText()));
        if (v == null) {
            throw new Failure("volume " + id + " disappeared while it was being made", null);
        }
        if ("ERROR".equals(v.path("status").asText())) {
            throw new Failure("volume " + id + " is ERROR: " + v.path("error").asText(""), state(v));
        }
        return state(v);
    }

    @Override
    public Map<String, Object> read(VirgaClient api, Map<String, Object> state) {
        JsonNode v = api.find("/v1/volumes/" + VirgaClient.enc(str(state, "id")));
        return v == null || "DELETED".equals(v.path("status").asText()) ? null : state(v);
    }

    @Override
    public Map<String, Object> update(VirgaClient api, Map<String, Object> prior, Map<String, Object> planned) {
        String id = str(prior, "id");
        long size = Values.num(planned, "size_gb");
        if (size != Values.num(prior, "size_gb")) {
            api.post("/v1/volumes/" + VirgaClient.enc(id) + "/actions", Map.of("action", "extend", "new_size", size));
            api.await("/v1/volumes/" + id, WAIT, "volume " + id + " to reach " + size + " GiB",
                    n -> n == null || n.path("size_gb").asLong() == size
                            && !"EXTENDING".equals(n.path("status").asText()));
        }
        return settle(api, id);
    }

    @Override
    public void delete(VirgaClient api, Map<String, Object> state) {
        String id = str(state, "id");
        api.delete("/v1/volumes/" + VirgaClient.enc(id));
        JsonNode last = api.await("/v1/volumes/" + id, WAIT, "volume " + id + " to be deleted",
                n -> n == null || "ERROR".equals(n.path("status").asText()));
        if (last != null) {
            throw new Failure("volume " + id + " is ERROR after delete: " + last.path("error").asText(""),
                    state(last));
        }
    }

    private static Map<String, Object> state(JsonNode v) {
        Map<String, Object> s = Values.obj();
        s.put("id", v.path("id").asText());
        s.put("name", v.path("name").asText());
        s.put("size_gb", v.path("size_gb").asLong());
        s.put("image_id", Values.text(v, "image_id"));
        s.put("volume_type", v.path("volume_type").asText(""));
        s.put("status", Values.text(v, "status"));
        return s;
    }
}
