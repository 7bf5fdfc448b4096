package io.virga.gateway.flavor;

import java.util.Map;
import java.util.TreeMap;

/**
 * A size of instance: vcpus, ram_mb, disk_gb, kind (vm|container|desktop), virt_mode (full|para|hybrid), and
 * {@code extra_specs}: placement requirements as {@code "trait:NAME": "required" | "forbidden"}
 * ({@link io.virga.gateway.placement.TraitSpecs}); never null, sorted.
 */
public record Flavor(String id, String name, int vcpus, long ramMb, int diskGb, String kind, String virtMode,
                     Map<String, String> extraSpecs) {
    public Flavor {
        extraSpecs = extraSpecs == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(extraSpecs));
    }

    /** A flavor without extra specs. */
    public Flavor(String id, String name, int vcpus, long ramMb, int diskGb, String kind, String virtMode) {
        this(id, name, vcpus, ramMb, diskGb, kind, virtMode, Map.of());
    }
}
