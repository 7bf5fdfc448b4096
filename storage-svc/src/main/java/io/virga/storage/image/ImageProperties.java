package io.virga.storage.image;

import static io.virga.platform.grpc.GrpcErrors.invalidArgument;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Validation of image properties. Keys are {@code [a-z0-9_.:-]}, 1-64 characters, at most
 * {@value #MAX_PROPERTIES} of them; values at most 1024 characters. The keys Virga acts on have their
 * values checked too (the others are kept as given, as Glance does):
 *
 * <pre>
 * key              | value                                   | used by
 * -----------------+-----------------------------------------+-------------------------------
 * min_ram_mb       | integer 0-16777216                      | gateway: flavor must have that much
 * kind             | vm, container, desktop                  | scheduler: required trait
 * virt_mode        | full, para, hybrid                      | scheduler: required trait
 * kernel_id        | an image id (img-…)                     | compute: direct kernel boot
 * ramdisk_id       | an image id (img-…)                     | compute: initramfs for kernel_id
 * os_command_line  | kernel command line, ≤ 1024 characters  | compute: appended at boot
 * container_mode   | app, system                             | compute: how a container runs
 * os, architecture | free text                               | users
 * </pre>
 */
public final class ImageProperties {
    public static final int MAX_PROPERTIES = 64;
    private static final Pattern KEY = Pattern.compile("[a-z0-9_.:-]{1,64}");
    private static final Pattern IMAGE_ID = Pattern.compile("img-[A-Za-z0-9_-]{1,60}");

    private ImageProperties() {
    }

    /** A sorted copy of {@code raw}; INVALID_ARGUMENT naming {@code properties.<key>} on the first bad one. */
    public static Map<String, String> validate(Map<String, String> raw) {
        Map<String, String> out = new TreeMap<>(raw == null ? Map.of() : raw);
        if (out.size() > MAX_PROPERTIES) {
            throw invalidArgument("properties", "at most " + MAX_PROPERTIES + " properties, got " + out.size());
        }
        for (Map.Entry<String, String> e : out.entrySet()) {
            String key = e.getKey();
            String field = "properties." + key;
            if (!KEY.matcher(key).matches()) {
                throw invalidArgument("properties", "key '" + key + "' must be 1-64 of [a-z0-9_.:-]");
            }
            String value = e.getValue() == null ? "" : e.getValue();
            if (value.length() > 1024) {
                throw invalidArgument(field, "must be at most 1024 characters");
            }
            checkKnown(field, key, value);
        }
        return out;
    }

    private static void checkKnown(String field, String key, String value) {
        switch (key) {
            case "min_ram_mb" -> {
                long v;
                try {
                    v = Long.parseLong(value);
                } catch (NumberFormatException ex) {
                    throw invalidArgument(field, "must be a whole number of MiB, got '" + value + "'");
                }
                if (v < 0 || v > 16_777_216) {
                    throw invalidArgument(field, "must be 0-16777216, got " + v);
                }
            }
            case "kind" -> oneOf(field, value, Set.of("vm", "container", "desktop"));
            case "virt_mode" -> oneOf(field, value, Set.of("full", "para", "hybrid"));
            case "container_mode" -> oneOf(field, value, Set.of("app", "system"));
            case "kernel_id", "ramdisk_id" -> {
                if (!IMAGE_ID.matcher(value).matches()) {
                    throw invalidArgument(field, "must be an image id (img-…), got '" + value + "'");
                }
            }
            default -> {
            }
        }
    }

    private static void oneOf(String field, String value, Set<String> allowed) {
        if (!allowed.contains(value)) {
            throw invalidArgument(field, "must be one of " + new java.util.TreeSet<>(allowed) + ", got '" + value + "'");
        }
    }

    /** The ids of other images these properties refer to (kernel_id, ramdisk_id). */
    public static Set<String> referencedImages(Map<String, String> properties) {
        Set<String> ids = new java.util.TreeSet<>();
        for (String key : new String[] {"kernel_id", "ramdisk_id"}) {
            String v = properties.get(key);
            if (v != null) {
                ids.add(v);
            }
        }
        return ids;
    }
}
