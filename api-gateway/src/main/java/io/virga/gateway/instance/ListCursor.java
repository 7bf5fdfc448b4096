package io.virga.gateway.instance;

import io.virga.gateway.error.ApiException;
import java.time.DateTimeException;
import java.time.Instant;

/**
 * A keyset position in a list ordered by (created_at, id): the key of the
 * last item of a page, {@code <created_at ISO-8601>|<id>}. The API wraps it
 * in an opaque cursor ({@link io.virga.gateway.api.PageRequest}).
 */
public record ListCursor(Instant createdAt, String id) {
    /** The key of an item. */
    public static String key(String createdAt, String id) {
        return createdAt + "|" + id;
    }

    /**
     * The position after the item of {@code key}; null for the first page.
     *
     * @throws ApiException 400 naming {@code cursor} when the key is not one of ours
     */
    public static ListCursor after(String key) {
        if (key == null) {
            return null;
        }
        int bar = key.indexOf('|');
        if (bar > 0 && bar < key.length() - 1) {
            try {
                return new ListCursor(Instant.parse(key.substring(0, bar)), key.substring(bar + 1));
            } catch (DateTimeException e) {
                // fall through to the 400
            }
        }
        throw ApiException.badRequest("cursor", "is not a cursor this list returned");
    }
}
