package io.virga.gateway.instance;

import io.virga.gateway.error.ApiException;
import io.virga.gateway.error.FieldError;
import java.util.ArrayList;
import java.util.List;

/**
 * Validated {@code ?limit=&cursor=} of a list request.
 *
 * @param limit  1..{@value #MAX_LIMIT}, default {@value #DEFAULT_LIMIT}
 * @param cursor null for the first page
 */
public record ListParams(int limit, ListCursor cursor) {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;

    /** @throws ApiException 400 naming {@code limit} or {@code cursor} when they are malformed */
    public static ListParams parse(String limit, String cursor) {
        List<FieldError> errors = new ArrayList<>();
        int n = DEFAULT_LIMIT;
        if (limit != null && !limit.isBlank()) {
            try {
                n = Integer.parseInt(limit.trim());
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1 || n > MAX_LIMIT) {
                errors.add(new FieldError("limit", "must be an integer from 1 to " + MAX_LIMIT));
            }
        }
        ListCursor after = null;
        if (cursor != null && !cursor.isBlank()) {
            after = ListCursor.decode(cursor.trim()).orElse(null);
            if (after == null) {
                errors.add(new FieldError("cursor", "is not a cursor returned by this list"));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        return new ListParams(n, after);
    }
}
