package io.virga.tf.value;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Terraform's msgpack value encoding, written for this provider. Values in Java: {@code null},
 * {@link String}, {@link Boolean}, {@link Long} / {@link Double} / {@link BigDecimal} for numbers,
 * {@link List}, {@link Map} (objects, keys are attribute names) and {@link Unknown#VALUE}.
 *
 * <p>{@link #encode} writes a value of a given type: an object always carries every attribute of
 * its type (absent ones as nil), an unknown is the extension {@code d4 00 00}. {@link #decode} needs
 * no type: every extension is read as unknown; integers come back as {@code Long}, floats as
 * {@code Double}, numbers sent as strings (cty's form for big ones) stay strings.
 */
public final class MsgPack {
    private MsgPack() {
    }

    /** The msgpack bytes of {@code value} as a value of {@code type}. */
    public static byte[] encode(Object value, CtyType type) {
        Writer w = new Writer();
        w.value(value, type);
        return w.out.toByteArray();
    }

    /** The value in {@code bytes}; empty input is null. */
    public static Object decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return null;
        }
        Reader r = new Reader(bytes);
        Object v = r.value();
        if (r.pos != bytes.length) {
            throw new IllegalArgumentException("msgpack: " + (bytes.length - r.pos) + " bytes after the value");
        }
        return v;
    }

    private static final class Writer {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void value(Object v, CtyType type) {
            if (v == null) {
                out.write(0xc0);
            } else if (Unknown.is(v)) {
                out.write(0xd4);
                out.write(0);
                out.write(0);
            } else if (type instanceof CtyType.Primitive p) {
                primitive(v, p.name());
            } else if (type instanceof CtyType.ListOf l) {
                if (!(v instanceof List<?> items)) {
                    throw new IllegalArgumentException("expected a list, got " + v.getClass().getSimpleName());
                }
                arrayHeader(items.size());
                for (Object item : items) {
                    value(item, l.element());
                }
            } else if (type instanceof CtyType.ObjectOf o) {
                if (!(v instanceof Map<?, ?> m)) {
                    throw new IllegalArgumentException("expected an object, got " + v.getClass().getSimpleName());
                }
                mapHeader(o.attributes().size());
                for (Map.Entry<String, CtyType> a : o.attributes().entrySet()) {
                    string(a.getKey());
                    value(m.get(a.getKey()), a.getValue());
                }
            }
        }

        void primitive(Object v, String name) {
            switch (name) {
                case "string" -> string(v.toString());
                case "bool" -> {
                    if (!(v instanceof Boolean b)) {
                        throw new IllegalArgumentException("expected a bool, got " + v);
                    }
                    out.write(b ? 0xc3 : 0xc2);
                }
                case "number" -> number(v);
                default -> throw new IllegalArgumentException("unsupported type " + name);
            }
        }

        void number(Object v) {
            BigDecimal d;
            if (v instanceof Long || v instanceof Integer || v instanceof Short) {
                integer(((Number) v).longValue());
                return;
            } else if (v instanceof Double x) {
                if (x == Math.rint(x) && Math.abs(x) < 9.0e15) {
                    integer(x.longValue());
                } else {
                    out.write(0xcb);
                    long bits = Double.doubleToLongBits(x);
                    for (int i = 7; i >= 0; i--) {
                        out.write((int) (bits >>> (8 * i)));
                    }
                }
                return;
            } else if (v instanceof BigDecimal b) {
                d = b;
            } else if (v instanceof BigInteger b) {
                d = new BigDecimal(b);
            } else {
                d = new BigDecimal(v.toString());
            }
            try {
                integer(d.longValueExact());
            } catch (ArithmeticException notLong) {
                string(d.toPlainString());
            }
        }

        void integer(long n) {
            if (n >= 0 && n < 128) {
                out.write((int) n);
            } else if (n < 0 && n >= -32) {
                out.write((int) (n & 0xff));
            } else {
                out.write(0xd3);
                for (int i = 7; i >= 0; i--) {
                    out.write((int) (n >>> (8 * i)));
                }
            }
        }

        void string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            if (b.length < 32) {
                out.write(0xa0 | b.length);
            } else if (b.length < 256) {
                out.write(0xd9);
                out.write(b.length);
            } else if (b.length < 65536) {
                out.write(0xda);
                out.write(b.length >>> 8);
                out.write(b.length);
            } else {
                out.write(0xdb);
                int32(b.length);
            }
            out.writeBytes(b);
        }

        void arrayHeader(int n) {
            if (n < 16) {
                out.write(0x90 | n);
            } else if (n < 65536) {
                out.write(0xdc);
                out.write(n >>> 8);
                out.write(n);
            } else {
                out.write(0xdd);
                int32(n);
            }
        }

        void mapHeader(int n) {
            if (n < 16) {
                out.write(0x80 | n);
            } else if (n < 65536) {
                out.write(0xde);
                out.write(n >>> 8);
                out.write(n);
            } else {
                out.write(0xdf);
                int32(n);
            }
        }

        void int32(int n) {
            out.write(n >>> 24);
            out.write(n >>> 16);
            out.write(n >>> 8);
            out.write(n);
        }
    }

    private static final class Reader {
        final byte[] in;
        int pos;

        Reader(byte[] in) {
            this.in = in;
        }

        int u8() {
            if (pos >= in.length) {
                throw new IllegalArgumentException("msgpack: value cut short at byte " + pos);
            }
            return in[pos++] & 0xff;
        }

        long be(int n) {
            long v = 0;
            for (int i = 0; i < n; i++) {
                v = (v << 8) | u8();
            }
            return v;
        }

        Object value() {
            int b = u8();
            if (b <= 0x7f) {
                return (long) b;
            } else if (b >= 0xe0) {
                return (long) (byte) b;
            } else if ((b & 0xe0) == 0xa0) {
                return str(b & 0x1f);
            } else if ((b & 0xf0) == 0x90) {
                return array(b & 0x0f);
            } else if ((b & 0xf0) == 0x80) {
                return map(b & 0x0f);
            }
            return switch (b) {
                case 0xc0 -> null;
                case 0xc2 -> Boolean.FALSE;
                case 0xc3 -> Boolean.TRUE;
                case 0xc4 -> str((int) be(1));
                case 0xc5 -> str((int) be(2));
                case 0xc6 -> str((int) be(4));
                case 0xc7 -> ext((int) be(1));
                case 0xc8 -> ext((int) be(2));
                case 0xc9 -> ext((int) be(4));
                case 0xca -> (double) Float.intBitsToFloat((int) be(4));
                case 0xcb -> Double.longBitsToDouble(be(8));
                case 0xcc -> be(1);
                case 0xcd -> be(2);
                case 0xce -> be(4);
                case 0xcf -> {
                    long v = be(8);
                    yield v >= 0 ? (Object) v : new BigDecimal(new BigInteger(Long.toUnsignedString(v)));
                }
                case 0xd0 -> (long) (byte) be(1);
                case 0xd1 -> (long) (short) be(2);
                case 0xd2 -> (long) (int) be(4);
                case 0xd3 -> be(8);
                case 0xd4 -> ext(1);
                case 0xd5 -> ext(2);
                case 0xd6 -> ext(4);
                case 0xd7 -> ext(8);
                case 0xd8 -> ext(16);
                case 0xd9 -> str((int) be(1));
                case 0xda -> str((int) be(2));
                case 0xdb -> str((int) be(4));
                case 0xdc -> array((int) be(2));
                case 0xdd -> array((int) be(4));
                case 0xde -> map((int) be(2));
                case 0xdf -> map((int) be(4));
                default -> throw new IllegalArgumentException("msgpack: unsupported byte 0x"
                        + Integer.toHexString(b) + " at " + (pos - 1));
            };
        }

        String str(int n) {
            if (n < 0 || pos + n > in.length) {
                throw new IllegalArgumentException("msgpack: string cut short at byte " + pos);
            }
            String s = new String(in, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return s;
        }

        Object ext(int n) {
            u8(); // the extension type: 0 is cty's unknown; any other is treated alike
            if (pos + n > in.length) {
                throw new IllegalArgumentException("msgpack: extension cut short at byte " + pos);
            }
            pos += n;
            return Unknown.VALUE;
        }

        List<Object> array(int n) {
            List<Object> items = new ArrayList<>(Math.min(n, 1024));
            for (int i = 0; i < n; i++) {
                items.add(value());
            }
            return items;
        }

        Map<String, Object> map(int n) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                Object k = value();
                m.put(String.valueOf(k), value());
            }
            return m;
        }
    }
}
