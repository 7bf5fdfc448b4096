package io.virga.gateway.stack;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reference inside a string value: {@code ${var.NAME}} or {@code ${KIND.NAME.ATTR}} followed by
 * any number of {@code .field} or {@code [index]} steps ({@code ${instance.web.addresses[0].ip}}).
 *
 * @param text     the expression between {@code ${} and {@code }}
 * @param variable the variable's name, or null for a resource reference
 * @param address  {@code kind.name}, or null for a variable
 * @param steps    the attribute and what follows ({@code addresses}, {@code [0]}, {@code ip}); empty for a variable
 */
public record Ref(String text, String variable, String address, List<String> steps) {
    static final Pattern IN_TEXT = Pattern.compile("\\$\\{([^}]*)}");
    private static final Pattern EXPR = Pattern.compile(
            "([a-z_]+)\\.([A-Za-z][A-Za-z0-9_-]*)((?:\\.[A-Za-z0-9_]+|\\[\\d+])*)");
    private static final Pattern STEP = Pattern.compile("\\.([A-Za-z0-9_]+)|\\[(\\d+)]");

    /** The kind's wire name of a resource reference. */
    public String kind() {
        return address.substring(0, address.indexOf('.'));
    }

    /** The attribute a resource reference reads first ({@code addresses} of {@code addresses[0].ip}). */
    public String attribute() {
        return steps.isEmpty() ? null : steps.get(0);
    }

    /** Every reference in {@code s}, or a fault message for the first one that cannot be read. */
    static List<Ref> all(String s) throws Malformed {
        List<Ref> out = new ArrayList<>();
        Matcher m = IN_TEXT.matcher(s);
        while (m.find()) {
            out.add(parse(m.group(1).trim()));
        }
        if (out.isEmpty() && s.contains("${")) {
            throw new Malformed("an unterminated reference: write ${kind.name.attribute} or ${var.name}");
        }
        return out;
    }

    /** The reference when {@code s} is exactly one reference (its value keeps its type), else empty. */
    static Optional<Ref> whole(String s) {
        Matcher m = IN_TEXT.matcher(s);
        if (m.matches()) {
            try {
                return Optional.of(parse(m.group(1).trim()));
            } catch (Malformed e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    static Ref parse(String expr) throws Malformed {
        Matcher m = EXPR.matcher(expr);
        if (!m.matches()) {
            throw new Malformed("cannot read reference ${" + expr + "}: write ${kind.name.attribute} or ${var.name}");
        }
        List<String> steps = new ArrayList<>();
        Matcher s = STEP.matcher(m.group(3));
        while (s.find()) {
            steps.add(s.group(1) != null ? s.group(1) : "[" + s.group(2) + "]");
        }
        if ("var".equals(m.group(1))) {
            if (!steps.isEmpty()) {
                throw new Malformed("a variable reference is ${var.name}, nothing after it");
            }
            return new Ref(expr, m.group(2), null, List.of());
        }
        if (steps.isEmpty() || steps.get(0).startsWith("[")) {
            throw new Malformed("${" + expr + "} names no attribute: write ${" + m.group(1) + "." + m.group(2)
                    + ".id}");
        }
        return new Ref(expr, null, m.group(1) + "." + m.group(2), steps);
    }

    /** A reference that cannot be read. */
    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message);
        }
    }
}
