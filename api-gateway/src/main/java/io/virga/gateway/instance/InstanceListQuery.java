package io.virga.gateway.instance;

import io.virga.gateway.error.ApiException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A filtered, sorted instance list ({@code GET /v1/instances}): {@code ?status=} (default: all but DELETED),
 * {@code ?name=} (exact), {@code ?tag=} (repeatable: instances carrying every tag), {@code ?sort=created_at|name}
 * with a leading {@code -} for descending (default {@code created_at}). Pages are keyset queries in the database
 * on (sort key, id); the cursor's key names its sort, so a cursor used with another sort is a 400 on
 * {@code cursor}.
 */
public record InstanceListQuery(InstanceStatus status, String name, List<String> tags, String sortField,
                                boolean descending, Object afterValue, String afterId) {
    public static final List<String> SORTS = List.of("created_at", "name");

    /**
     * @param cursorKey the decoded cursor key of the previous page, or null
     * @throws ApiException 400 naming the bad parameter
     */
    public static InstanceListQuery parse(String status, String name, List<String> tags, String sort,
                                          String cursorKey) {
        InstanceStatus s = null;
        if (status != null && !status.isBlank()) {
            s = InstanceStatus.parse(status).orElseThrow(() -> ApiException.badRequest("status",
                    "must be one of " + java.util.Arrays.toString(InstanceStatus.values())));
        }
        if (name != null && (name.isEmpty() || name.length() > 64)) {
            throw ApiException.badRequest("name", "must be 1-64 characters");
        }
        List<String> t = tags == null ? List.of() : tags.stream().filter(x -> x != null && !x.isEmpty()).toList();
        if (t.size() > 10 || t.stream().anyMatch(x -> x.length() > 64)) {
            throw ApiException.badRequest("tag", "at most 10 tags of 1-64 characters");
        }
        String sortSpec = sort == null || sort.isBlank() ? "created_at" : sort.trim().toLowerCase(Locale.ROOT);
        boolean desc = sortSpec.startsWith("-");
        String field = desc ? sortSpec.substring(1) : sortSpec;
        if (!SORTS.contains(field)) {
            throw ApiException.badRequest("sort", "must be created_at or name, with a leading '-' for descending");
        }
        Object afterValue = null;
        String afterId = null;
        if (cursorKey != null) {
            // created_at cursors keep the original shape "<instant>|<id>"; others are "<sort>|<value>|<id>"
            String prefix = field.equals("created_at") && !desc ? "" : sortSpec + "|";
            if (!cursorKey.startsWith(prefix)) {
                throw badCursor();
            }
            String rest = cursorKey.substring(prefix.length());
            int bar = rest.lastIndexOf('|');
            if (bar <= 0 || bar == rest.length() - 1) {
                throw badCursor();
            }
            afterId = rest.substring(bar + 1);
            String v = rest.substring(0, bar);
            if (field.equals("created_at")) {
                try {
                    afterValue = Instant.parse(v);
                } catch (DateTimeException e) {
                    throw badCursor();
                }
            } else {
                afterValue = v;
            }
        }
        return new InstanceListQuery(s, name, t, field, desc, afterValue, afterId);
    }

    /** The cursor key of an item, for the page after it. */
    public String key(InstanceView v) {
        String value = sortField.equals("name") ? v.name() : v.createdAt();
        String prefix = sortField.equals("created_at") && !descending ? "" : (descending ? "-" : "") + sortField + "|";
        return prefix + value + "|" + v.id();
    }

    /** SQL after "WHERE project_id = ?": filters, keyset position, order. */
    String sqlTail() {
        StringBuilder sql = new StringBuilder(status == null ? " AND status <> 'DELETED'" : " AND status = ?");
        if (name != null) {
            sql.append(" AND name = ?");
        }
        if (!tags.isEmpty()) {
            sql.append(" AND tags @> ?");
        }
        String col = sortField;
        if (afterId != null) {
            sql.append(" AND (").append(col).append(", id) ").append(descending ? "<" : ">").append(" (?, ?)");
        }
        String dir = descending ? " DESC" : "";
        sql.append(" ORDER BY ").append(col).append(dir).append(", id").append(dir).append(" LIMIT ?");
        return sql.toString();
    }

    private static ApiException badCursor() {
        return ApiException.badRequest("cursor", "is not a cursor this list returned (for this sort)");
    }
}
