package io.virga.gateway.api;

import io.virga.gateway.error.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * {@code ?limit=&cursor=} of a list request. Cursors are opaque to clients: base64url of
 * either {@code k:<last key>} (keyset lists in our database) or {@code o:<offset>}
 * (lists passed through from other services).
 */
public record PageRequest(int limit, String cursor) {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    /** Parses and validates the query parameters (limit 1..1000, default 100). */
    public static PageRequest of(String limit, String cursor) {
        int l = DEFAULT_LIMIT;
        if (limit != null) {
            try {
                l = Integer.parseInt(limit);
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("limit", "must be an integer between 1 and " + MAX_LIMIT);
            }
            if (l < 1 || l > MAX_LIMIT) {
                throw ApiException.badRequest("limit", "must be an integer between 1 and " + MAX_LIMIT);
            }
        }
        return new PageRequest(l, cursor == null || cursor.isEmpty() ? null : cursor);
    }

    /** The last key of the previous page (null for the first page). */
    public String afterKey() {
        String raw = decode("k:");
        return raw;
    }

    /** The offset of this page (0 for the first). */
    public int offset() {
        String raw = decode("o:");
        if (raw == null) {
            return 0;
        }
        try {
            int o = Integer.parseInt(raw);
            if (o < 0) {
                throw new NumberFormatException();
            }
            return o;
        } catch (NumberFormatException e) {
            throw invalidCursor();
        }
    }

    /** A page from a keyset query that fetched up to {@code limit + 1} rows ordered by key. */
    public <T> Page<T> keysetPage(List<T> rowsPlusOne, Function<T, String> key) {
        if (rowsPlusOne.size() <= limit) {
            return new Page<>(rowsPlusOne, null);
        }
        List<T> items = rowsPlusOne.subList(0, limit);
        return new Page<>(items, encode("k:" + key.apply(items.get(limit - 1))));
    }

    /** A page cut out of a complete list (pass-through lists). */
    public <T> Page<T> slice(List<T> all) {
        int from = Math.min(offset(), all.size());
        int to = Math.min(from + limit, all.size());
        return new Page<>(all.subList(from, to), to < all.size() ? encode("o:" + to) : null);
    }

    private String decode(String prefix) {
        if (cursor == null) {
            return null;
        }
        String raw;
        try {
            raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalidCursor();
        }
        if (!raw.startsWith(prefix) || raw.length() == prefix.length()) {
            throw invalidCursor();
        }
        return raw.substring(prefix.length());
    }

    private static String encode(String raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static ApiException invalidCursor() {
        return ApiException.badRequest("cursor", "is not a cursor this list returned");
    }
}
