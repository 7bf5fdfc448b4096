package io.virga.gateway.stack;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * What an apply would do: a step per resource, deletions first (in reverse dependency order), then
 * the spec's resources in dependency order. {@link #fingerprint()} identifies the decisions, so that
 * an apply of a reviewed plan can tell whether the world changed since.
 */
public record Plan(List<Step> steps, Map<String, JsonNode> variables) {

    /** What happens to one resource. */
    public enum Action {
        CREATE("create"), UPDATE("update"), REPLACE("replace"), DELETE("delete"), NO_OP("no-op");

        private final String wire;

        Action(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    /** One attribute that changes; {@code after} may be {@link Resolver#UNKNOWN}. */
    public record Change(String attribute, JsonNode before, JsonNode after, boolean forcesReplacement) {
    }

    /**
     * A step: {@code id} of the resource now (null for a create), its {@code current} view (null unless it
     * exists), the attributes it will have ({@code inputs}, references resolved as far as known) and
     * why (e.g. drift).
     */
    public record Step(String address, Kind kind, Action action, String id, List<Change> changes, String reason,
            JsonNode inputs, JsonNode current) {
    }

    /** True when applying changes nothing. */
    public boolean empty() {
        return steps.stream().allMatch(s -> s.action() == Action.NO_OP);
    }

    /** Counts per action wire name. */
    public Map<String, Long> summary() {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        for (Action a : Action.values()) {
            out.put(a.wire(), steps.stream().filter(s -> s.action() == a).count());
        }
        return out;
    }

    /** A digest of every decision (address, action, id, changes, reason). */
    public String fingerprint() {
        StringBuilder b = new StringBuilder();
        for (Step s : steps) {
            b.append(s.address()).append('|').append(s.action()).append('|').append(s.id()).append('|')
                    .append(s.reason()).append('|');
            s.changes().forEach(c -> b.append(c.attribute()).append('=').append(c.before()).append("->")
                    .append(c.after()).append(';'));
            b.append('\n');
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(b.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
