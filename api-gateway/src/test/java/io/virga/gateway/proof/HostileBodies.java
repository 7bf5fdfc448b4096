package io.virga.gateway.proof;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.RandomDistribution;

/**
 * jqwik generators of malformed and hostile request bodies: random text and bytes (invalid UTF-8), broken JSON,
 * deep nesting, huge and fractional numbers, wrong types and nulls for the API's field names, long strings,
 * control characters and unicode, duplicate keys.
 */
final class HostileBodies {
    static final List<String> FIELDS = List.of("name", "vcpus", "ram_mb", "disk_gb", "kind", "flavor", "image",
            "networks", "user_data", "key_name", "public_key", "role", "expires_at", "size_gb", "cidr", "action",
            "description", "metadata", "tags", "shared", "limits", "instances", "policy", "volume_id", "protocol",
            "port_range_min", "extra_specs", "network", "type");

    private HostileBodies() {
    }

    static Arbitrary<byte[]> any() {
        Arbitrary<String> values = Arbitraries.oneOf(
                Arbitraries.bigIntegers().between(new java.math.BigInteger("-1" + "0".repeat(40)),
                        new java.math.BigInteger("1" + "0".repeat(40))).withDistribution(RandomDistribution.uniform())
                        .map(String::valueOf),
                Arbitraries.of("9223372036854775808", "-9223372036854775809", "2147483648", "1e309", "-0", "0.5",
                        "1E400", "NaN", "Infinity", "null", "true", "[]", "{}", "\"\"", "\"\\u0000\"", "[null]",
                        "{\"network\": null}", "\"\\ud800\"", "[[[[[[]]]]]]", "\"a b\"", "\"x\""),
                Arbitraries.strings().all().ofMaxLength(80).map(HostileBodies::quote),
                Arbitraries.strings().withChars('a', 'z').ofMinLength(64).ofMaxLength(5000).map(HostileBodies::quote));
        Arbitrary<String> objects = Arbitraries.of(FIELDS).list().ofMaxSize(6).flatMap(names -> values.list()
                .ofSize(names.size()).map(vals -> {
                    StringBuilder s = new StringBuilder("{");
                    for (int i = 0; i < names.size(); i++) {
                        s.append(i == 0 ? "" : ",").append('"').append(names.get(i)).append("\":").append(vals.get(i));
                    }
                    return s.append('}').toString();
                }));
        Arbitrary<String> broken = Arbitraries.of("{", "}", "[", "{\"name\": ", "{\"name\" \"x\"}", "{name: 1}",
                "{\"a\":1,,}", "{\"name\":\"x\"} {}", "'x'", "\"just a string\"", "", " ", "nul", "{\"a\":1}garbage",
                "{\"name\":\"x\",\"name\":\"y\"}", "\u0000", "\ufeff{}");
        Arbitrary<String> deep = Arbitraries.integers().between(1, 4000).map(d -> "[".repeat(d) + "]".repeat(d));
        Arbitrary<String> deepObjects = Arbitraries.integers().between(1, 3000)
                .map(d -> "{\"a\":".repeat(d) + "1" + "}".repeat(d));
        Arbitrary<byte[]> text = Arbitraries.oneOf(objects, objects, objects, broken, deep, deepObjects,
                Arbitraries.strings().all().ofMaxLength(200)).map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        Arbitrary<byte[]> badUtf8 = objects.map(s -> {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            byte[] out = java.util.Arrays.copyOf(b, b.length + 2);
            System.arraycopy(b, b.length / 2, out, b.length / 2 + 2, b.length - b.length / 2);
            out[b.length / 2] = (byte) 0xC3;
            out[b.length / 2 + 1] = (byte) 0x28;
            return out;
        });
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, text), net.jqwik.api.Tuple.of(1, bytes), net.jqwik.api.Tuple.of(1, badUtf8));
    }

    /** {@code n} samples drawn with {@code random} (reproducible from its seed). */
    static List<byte[]> sample(Arbitrary<byte[]> arbitrary, Random random, int n) {
        var generator = arbitrary.generator(1000);
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(generator.next(random).value());
        }
        return out;
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    static String show(byte[] body) {
        String s = new String(body, StandardCharsets.UTF_8);
        return s.length() > 120 ? s.substring(0, 120) + "…(" + body.length + " bytes)" : s;
    }
}
