package io.virga.cli.output;

/** How a command prints what it got: an aligned table for people, or JSON / YAML for programs. */
public enum Format {
    TABLE, JSON, YAML;

    /** {@code table|json|yaml}, any case; picocli calls this for {@code -o}. */
    public static Format parse(String text) {
        return switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "table" -> TABLE;
            case "json" -> JSON;
            case "yaml", "yml" -> YAML;
            default -> throw new IllegalArgumentException("must be table, json or yaml, got '" + text + "'");
        };
    }
}
