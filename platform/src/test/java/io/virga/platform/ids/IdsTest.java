package io.virga.platform.ids;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdsTest {
    @Test
    void idsCarryTheirPrefixAndDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = Ids.newId("i");
            assertTrue(Ids.looksLike("i", id), id);
            seen.add(id);
        }
        assertEquals(10_000, seen.size());
    }

    @Test
    void badPrefixesAndForeignIdsAreRecognised() {
        assertThrows(IllegalArgumentException.class, () -> Ids.newId("I-"));
        assertThrows(IllegalArgumentException.class, () -> Ids.newId(""));
        assertFalse(Ids.looksLike("i", "v-0123456789ab"));
        assertFalse(Ids.looksLike("i", "i-0123"));
        assertFalse(Ids.looksLike("i", null));
    }
}
