package io.virga.storage.image;

import static io.virga.platform.grpc.GrpcErrors.invalidArgument;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Formats of image data: disk images (qcow2, raw) or an OCI root filesystem. */
public enum DiskFormat {
    QCOW2, RAW, OCI;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the wire form; INVALID_ARGUMENT on {@code field} otherwise. */
    public static DiskFormat parse(String field, String value) {
        for (DiskFormat f : values()) {
            if (f.wire().equals(value)) {
                return f;
            }
        }
        throw invalidArgument(field, "must be one of " + Arrays.stream(values()).map(DiskFormat::wire)
                .collect(Collectors.joining(", ")));
    }
}
