package io.virga.gateway.api;

import java.util.List;

/** One page of a list: JSON {@code {"items":[…],"next_cursor":…}}; nextCursor is null on the last page. */
public record Page<T>(List<T> items, String nextCursor) {
    public Page {
        items = List.copyOf(items);
    }
}
