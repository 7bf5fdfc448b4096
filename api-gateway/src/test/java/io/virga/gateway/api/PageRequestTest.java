package io.virga.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.virga.gateway.error.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PageRequestTest {

    @Test
    void sliceWalksTheWholeListOnce() {
        List<Integer> all = IntStream.range(0, 7).boxed().toList();
        List<Integer> seen = new ArrayList<>();
        String cursor = null;
        do {
            Page<Integer> page = PageRequest.of("3", cursor).slice(all);
            seen.addAll(page.items());
            cursor = page.nextCursor();
        } while (cursor != null);
        assertEquals(all, seen);
    }

    @Test
    void keysetPageCutsAtLimit() {
        Page<String> p = PageRequest.of("2", null).keysetPage(List.of("a", "b", "c"), s -> s);
        assertEquals(List.of("a", "b"), p.items());
        assertEquals("b", PageRequest.of("2", p.nextCursor()).afterKey());
        assertNull(PageRequest.of("2", null).keysetPage(List.of("a", "b"), s -> s).nextCursor());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "1001", "x", "1.5"})
    void badLimits(String limit) {
        ApiException e = assertThrows(ApiException.class, () -> PageRequest.of(limit, null));
        assertEquals("limit", e.errors().get(0).field());
    }

    @ParameterizedTest
    @ValueSource(strings = {"!!", "bzp4", "azpwYQ"})
    void badCursors(String cursor) {
        // "azpwYQ" is a key cursor ("k:pa"), not an offset one
        ApiException e = assertThrows(ApiException.class, () -> PageRequest.of(null, cursor).offset());
        assertEquals("cursor", e.errors().get(0).field());
    }
}
