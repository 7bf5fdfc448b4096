package io.virga.gateway.instance.action;

import com.fasterxml.jackson.databind.JsonNode;
import io.virga.gateway.error.ApiException;
import java.util.Iterator;
import java.util.Set;

/**
 * A parsed {@code POST /v1/instances/{id}/actions} body: {@code {"action": "...", ...}}
 * with, for stop, {@code grace_seconds} (0–3600, default 60; 0 = forced at once), and
 * for reboot, {@code type} ({@code soft} | {@code hard}, default soft) and {@code grace_seconds}.
 * Any other field is a 400 naming it.
 */
public record ActionRequest(InstanceAction action, boolean hard, int graceSeconds) {
    static final int DEFAULT_GRACE = 60;
    private static final Set<String> FIELDS = Set.of("action", "type", "grace_seconds");

    /** @throws ApiException 400 naming the field at fault */
    public static ActionRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.malformed("request body must be a JSON object");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw ApiException.badRequest(f, "unknown field");
            }
        }
        JsonNode a = body.get("action");
        if (a == null || !a.isTextual()) {
            throw ApiException.badRequest("action", "is required: one of " + InstanceAction.names());
        }
        InstanceAction action = InstanceAction.parse(a.asText()).orElseThrow(() -> ApiException.badRequest("action",
                "must be one of " + InstanceAction.names()));
        boolean hard = false;
        JsonNode type = body.get("type");
        if (type != null) {
            if (action != InstanceAction.REBOOT) {
                throw ApiException.badRequest("type", "applies to reboot only");
            }
            if (!type.isTextual() || !(type.asText().equals("soft") || type.asText().equals("hard"))) {
                throw ApiException.badRequest("type", "must be soft or hard");
            }
            hard = type.asText().equals("hard");
        }
        int grace = DEFAULT_GRACE;
        JsonNode g = body.get("grace_seconds");
        if (g != null) {
            if (action != InstanceAction.STOP && action != InstanceAction.REBOOT) {
                throw ApiException.badRequest("grace_seconds", "applies to stop and reboot only");
            }
            if (!g.isIntegralNumber() || g.asInt() < 0 || g.asInt() > 3600) {
                throw ApiException.badRequest("grace_seconds", "must be an integer from 0 to 3600");
            }
            grace = g.asInt();
        }
        return new ActionRequest(action, hard, grace);
    }
}
