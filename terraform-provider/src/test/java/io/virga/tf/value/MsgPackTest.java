package io.virga.tf.value;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MsgPackTest {
    private static final CtyType.ObjectOf OBJ = new CtyType.ObjectOf(new LinkedHashMap<>(Map.of(
            "name", CtyType.STRING)));

    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    @Test
    void encodesAnObjectWithEveryAttributeOfItsTypeAbsentOnesAsNil() {
        Map<String, CtyType> attrs = new LinkedHashMap<>();
        attrs.put("id", CtyType.STRING);
        attrs.put("size", CtyType.NUMBER);
        attrs.put("on", CtyType.BOOL);
        byte[] b = MsgPack.encode(Map.of("id", "v-1", "size", 2L), new CtyType.ObjectOf(attrs));
        assertArrayEquals(bytes(0x83, 0xa2, 'i', 'd', 0xa3, 'v', '-', '1', 0xa4, 's', 'i', 'z', 'e', 0x02,
                0xa2, 'o', 'n', 0xc0), b);
    }

    @Test
    void anUnknownIsExtensionZeroBothWays() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("name", Unknown.VALUE);
        byte[] b = MsgPack.encode(v, OBJ);
        assertArrayEquals(bytes(0x81, 0xa4, 'n', 'a', 'm', 'e', 0xd4, 0x00, 0x00), b);
        assertSame(Unknown.VALUE, ((Map<?, ?>) MsgPack.decode(b)).get("name"));
        // any extension (type 12, 4 bytes of data) also reads as unknown
        assertSame(Unknown.VALUE, MsgPack.decode(bytes(0xd6, 12, 1, 2, 3, 4)));
    }

    @Test
    void roundTripsNestedValuesOfEveryKind() {
        Map<String, CtyType> addr = new LinkedHashMap<>();
        addr.put("ip", CtyType.STRING);
        addr.put("mac", CtyType.STRING);
        Map<String, CtyType> attrs = new LinkedHashMap<>();
        attrs.put("names", CtyType.list(CtyType.STRING));
        attrs.put("addresses", CtyType.list(new CtyType.ObjectOf(addr)));
        attrs.put("big", CtyType.NUMBER);
        attrs.put("neg", CtyType.NUMBER);
        attrs.put("ratio", CtyType.NUMBER);
        attrs.put("flag", CtyType.BOOL);
        attrs.put("long", CtyType.STRING);
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("ip", "10.0.0.5");
        a.put("mac", null);
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("names", List.of("a", "b"));
        v.put("addresses", List.of(a));
        v.put("big", 5_000_000_000L);
        v.put("neg", -7L);
        v.put("ratio", 0.25);
        v.put("flag", true);
        v.put("long", "x".repeat(70_000));
        Object back = MsgPack.decode(MsgPack.encode(v, new CtyType.ObjectOf(attrs)));
        assertEquals(v, back);
    }

    @Test
    void readsEveryIntegerWidthAndAListOfSixteenOrMore() {
        assertEquals(200L, MsgPack.decode(bytes(0xcc, 200)));
        assertEquals(-200L, MsgPack.decode(bytes(0xd1, 0xff, 0x38)));
        assertEquals(70000L, MsgPack.decode(bytes(0xce, 0, 1, 0x11, 0x70)));
        List<Object> many = new ArrayList<>(Arrays.asList(new Object[20]));
        assertEquals(many, MsgPack.decode(MsgPack.encode(many, CtyType.list(CtyType.STRING))));
    }

    @Test
    void nilAndEmptyInputAreNull() {
        assertNull(MsgPack.decode(bytes(0xc0)));
        assertNull(MsgPack.decode(new byte[0]));
        assertArrayEquals(bytes(0xc0), MsgPack.encode(null, OBJ));
    }

    @Test
    void truncatedOrTrailingInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> MsgPack.decode(bytes(0xa5, 'a', 'b')));
        assertThrows(IllegalArgumentException.class, () -> MsgPack.decode(bytes(0x01, 0x02)));
        assertThrows(IllegalArgumentException.class, () -> MsgPack.encode("x", CtyType.list(CtyType.STRING)));
    }
}
