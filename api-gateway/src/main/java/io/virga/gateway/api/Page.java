package io.virga.gateway.api;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One page of a list: JSON {@code {"items":[…],"next_cursor":…}}; nextCursor is null on the last page. */
public record Page<T>(@Schema(required = true) List<T> items,
        @Schema(description = "the cursor of the next page; null on the last page") String nextCursor) {
    public Page {
        items = List.copyOf(items);
    }
}
