package io.virga.storage.image;

import static io.virga.platform.grpc.GrpcErrors.invalidArgument;

import java.util.Locale;

/** Who sees an image: its project only, or every project. */
public enum Visibility {
    PRIVATE, PUBLIC;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the wire form; empty means private. INVALID_ARGUMENT on {@code field} otherwise. */
    public static Visibility parse(String field, String value) {
        if (value == null || value.isEmpty()) {
            return PRIVATE;
        }
        for (Visibility v : values()) {
            if (v.wire().equals(value)) {
                return v;
            }
        }
        throw invalidArgument(field, "must be private or public");
    }
}
