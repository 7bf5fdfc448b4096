package io.virga.gateway.instance;

import com.fasterxml.jackson.databind.JsonNode;
import io.virga.gateway.error.FieldError;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /v1/instances}, checked for shape only (what can be
 * told without asking anyone): {@link #parse} collects every field error.
 * Whether the flavor, image and networks exist is checked by {@link InstanceValidator}.
 */
public record CreateInstanceRequest(String name, String flavor, String image, List<NicRequest> networks,
                                    String userData) {
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    public static final int MAX_NETWORKS = 8;
    /** Like Nova: the base64 text itself is at most 65535 bytes (compute nodes take it as is). */
    public static final int MAX_USER_DATA_BYTES = 65535;
    private static final java.util.Set<String> FIELDS = java.util.Set.of("name", "flavor", "image", "networks",
            "volumes", "boot_volume", "user_data", "server_group", "availability_zone", "key_name");

    /**
     * Reads the body, adding a {@link FieldError} to {@code errors} for each bad field.
     *
     * @return the request; its fields are null where they were bad
     */
    public static CreateInstanceRequest parse(JsonNode body, List<FieldError> errors) {
        if (body == null || !body.isObject()) {
            errors.add(new FieldError("body", "must be a JSON object"));
            return new CreateInstanceRequest(null, null, null, List.of(), null);
        }
        body.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                errors.add(new FieldError(f, "unknown field"));
            }
        });
        String name = text(body, "name", errors);
        if (name != null && !NAME.matcher(name).matches()) {
            errors.add(new FieldError("name", "must be 1 to 64 characters of A-Z a-z 0-9 . _ -"));
            name = null;
        }
        String flavor = text(body, "flavor", errors);
        String image = text(body, "image", errors);
        List<NicRequest> networks = networks(body.get("networks"), errors);
        String userData = userData(body.get("user_data"), errors);
        return new CreateInstanceRequest(name, flavor, image, networks, userData);
    }

    private static String text(JsonNode body, String field, List<FieldError> errors) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            errors.add(new FieldError(field, "is required"));
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            errors.add(new FieldError(field, "must be a non-empty string"));
            return null;
        }
        return v.asText().trim();
    }

    private static List<NicRequest> networks(JsonNode v, List<FieldError> errors) {
        if (v == null || v.isNull()) {
            errors.add(new FieldError("networks", "is required: a list of 1 to " + MAX_NETWORKS
                    + " {\"network\": id}"));
            return List.of();
        }
        if (!v.isArray() || v.size() < 1 || v.size() > MAX_NETWORKS) {
            errors.add(new FieldError("networks", "must list 1 to " + MAX_NETWORKS + " {\"network\": id}"));
            return List.of();
        }
        List<NicRequest> out = new ArrayList<>();
        for (int n = 0; n < v.size(); n++) {
            out.add(NicRequest.parse(v.get(n), n, errors));
        }
        return out;
    }

    private static String userData(JsonNode v, List<FieldError> errors) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            errors.add(new FieldError("user_data", "must be a base64 string"));
            return null;
        }
        String text = v.asText().replaceAll("\\s", "");
        if (text.length() > MAX_USER_DATA_BYTES) {
            errors.add(new FieldError("user_data", "is " + text.length() + " bytes of base64; at most "
                    + MAX_USER_DATA_BYTES + " allowed"));
            return null;
        }
        try {
            Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("user_data", "is not valid base64"));
            return null;
        }
        return text;
    }
}
