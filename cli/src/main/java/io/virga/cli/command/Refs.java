package io.virga.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.virga.cli.http.ApiClient;
import io.virga.cli.http.ApiError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Lets users name resources by name where the API wants an id: a value that starts with the kind's id
 * prefix ({@code n-}, {@code img-}, …) is taken as an id; anything else is looked up by name in the
 * kind's list. No match, or several, is an error naming what to give instead.
 */
final class Refs {
    private Refs() {
    }

    /** The id of network {@code ref} (an id or a name). */
    static String network(ApiClient api, String ref) {
        return resolve(api, ref, "n-", "/v1/networks", "network");
    }

    /** The id of image {@code ref} (an id or a name). */
    static String image(ApiClient api, String ref) {
        return resolve(api, ref, "img-", "/v1/images", "image");
    }

    /** The id of instance {@code ref} (an id or a name). */
    static String instance(ApiClient api, String ref) {
        return resolve(api, ref, "i-", "/v1/instances", "instance");
    }

    /** The id of volume {@code ref} (an id or a name). */
    static String volume(ApiClient api, String ref) {
        return resolve(api, ref, "v-", "/v1/volumes", "volume");
    }

    static String resolve(ApiClient api, String ref, String prefix, String listPath, String kind) {
        if (ref.startsWith(prefix)) {
            return ref;
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode item : api.listAll(listPath, Map.of(), 0)) {
            if (ref.equals(item.path("name").asText(null))) {
                ids.add(item.path("id").asText());
            }
        }
        if (ids.size() == 1) {
            return ids.get(0);
        }
        String detail = ids.isEmpty()
                ? "no " + kind + " named '" + ref + "' (give its id, " + prefix + "…, or a name from virga "
                        + kind + " list)"
                : ids.size() + " " + kind + "s are named '" + ref + "': " + String.join(", ", ids)
                        + "; give the id";
        throw ApiError.local(ids.isEmpty() ? 404 : 409, detail);
    }
}
