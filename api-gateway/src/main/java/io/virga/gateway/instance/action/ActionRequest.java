package io.virga.gateway.instance.action;

import com.fasterxml.jackson.databind.JsonNode;
import io.virga.gateway.error.ApiException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A parsed {@code POST /v1/instances/{id}/actions} body: {@code {"action": "...", ...}}.
 * Fields by action (any other field, or a field for another action, is a 400 naming it):
 * <ul>
 *   <li>stop: {@code grace_seconds} (0–3600, default 60; 0 = forced at once);</li>
 *   <li>reboot: {@code type} ({@code soft} | {@code hard}, default soft) and {@code grace_seconds};</li>
 *   <li>snapshot: {@code name} (required, 1–128 characters), the new image's name;</li>
 *   <li>rebuild: {@code image_id} (required), the new image;</li>
 *   <li>resize: {@code flavor_id} (required; a flavor id or name);</li>
 *   <li>migrate, live-migrate, evacuate: {@code host} (optional; a host id, cloud admins only).</li>
 * </ul>
 */
public record ActionRequest(InstanceAction action, boolean hard, int graceSeconds, String name, String imageId,
                            String flavorId, String host) {
    static final int DEFAULT_GRACE = 60;
    private static final Pattern NAME = Pattern.compile("[^\\p{Cntrl}]{1,128}");
    private static final Pattern REF = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    private static final Map<String, Set<InstanceAction>> FIELDS = Map.of(
            "action", Set.of(InstanceAction.values()),
            "type", Set.of(InstanceAction.REBOOT),
            "grace_seconds", Set.of(InstanceAction.STOP, InstanceAction.REBOOT),
            "name", Set.of(InstanceAction.SNAPSHOT),
            "image_id", Set.of(InstanceAction.REBUILD),
            "flavor_id", Set.of(InstanceAction.RESIZE),
            "host", Set.of(InstanceAction.MIGRATE, InstanceAction.LIVE_MIGRATE, InstanceAction.EVACUATE));

    /** A request for {@code action} without options. */
    public static ActionRequest of(InstanceAction action) {
        return new ActionRequest(action, false, DEFAULT_GRACE, null, null, null, null);
    }

    /** @throws ApiException 400 naming the field at fault */
    public static ActionRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.malformed("request body must be a JSON object");
        }
        JsonNode a = body.get("action");
        if (a == null || !a.isTextual()) {
            throw ApiException.badRequest("action", "is required: one of " + InstanceAction.names());
        }
        InstanceAction action = InstanceAction.parse(a.asText()).orElseThrow(() -> ApiException.badRequest("action",
                "must be one of " + InstanceAction.names()));
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.containsKey(f)) {
                throw ApiException.badRequest(f, "unknown field");
            }
            if (!FIELDS.get(f).contains(action)) {
                throw ApiException.badRequest(f, "applies to " + String.join(", ", FIELDS.get(f).stream()
                        .map(InstanceAction::value).sorted().toList()) + " only");
            }
        }
        boolean hard = false;
        JsonNode type = body.get("type");
        if (type != null) {
            if (!type.isTextual() || !(type.asText().equals("soft") || type.asText().equals("hard"))) {
                throw ApiException.badRequest("type", "must be soft or hard");
            }
            hard = type.asText().equals("hard");
        }
        int grace = DEFAULT_GRACE;
        JsonNode g = body.get("grace_seconds");
        if (g != null) {
            if (!g.isIntegralNumber() || g.asInt() < 0 || g.asInt() > 3600) {
                throw ApiException.badRequest("grace_seconds", "must be an integer from 0 to 3600");
            }
            grace = g.asInt();
        }
        String name = text(body, "name", NAME, action == InstanceAction.SNAPSHOT, "1 to 128 printable characters");
        String image = text(body, "image_id", REF, action == InstanceAction.REBUILD, "an image id");
        String flavor = text(body, "flavor_id", REF, action == InstanceAction.RESIZE, "a flavor id or name");
        String host = text(body, "host", REF, false, "a host id");
        return new ActionRequest(action, hard, grace, name, image, flavor, host);
    }

    private static String text(JsonNode body, String field, Pattern shape, boolean required, String what) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw ApiException.badRequest(field, "is required: " + what);
            }
            return null;
        }
        if (!v.isTextual() || !shape.matcher(v.asText()).matches()) {
            throw ApiException.badRequest(field, "must be " + what);
        }
        return v.asText();
    }
}
