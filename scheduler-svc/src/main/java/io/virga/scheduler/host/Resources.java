package io.virga.scheduler.host;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * An amount of resources a claim consumes: the three standard classes
 * (VCPU, MEMORY_MB, DISK_GB) and any others by resource class name
 * ({@code other}, e.g. PCI_GPU=1). All amounts are non-negative.
 */
public record Resources(int vcpus, long ramMb, long diskGb, Map<String, Long> other) {
    public static final Resources ZERO = new Resources(0, 0, 0);

    public Resources(int vcpus, long ramMb, long diskGb) {
        this(vcpus, ramMb, diskGb, Map.of());
    }

    public Resources {
        if (vcpus < 0 || ramMb < 0 || diskGb < 0) {
            throw new IllegalArgumentException("resources must not be negative: " + vcpus + "/" + ramMb + "/" + diskGb);
        }
        other = Map.copyOf(new TreeMap<>(other));
        for (Map.Entry<String, Long> e : other.entrySet()) {
            if (e.getValue() < 0 || !ResourceClass.NAME.matcher(e.getKey()).matches()) {
                throw new IllegalArgumentException("bad resource " + e.getKey() + "=" + e.getValue());
            }
        }
    }

    /** Every class with a non-zero amount, standard classes first. */
    public Map<String, Long> byClass() {
        Map<String, Long> m = new LinkedHashMap<>();
        if (vcpus > 0) {
            m.put(ResourceClass.VCPU, (long) vcpus);
        }
        if (ramMb > 0) {
            m.put(ResourceClass.MEMORY_MB, ramMb);
        }
        if (diskGb > 0) {
            m.put(ResourceClass.DISK_GB, diskGb);
        }
        new TreeMap<>(other).forEach((k, v) -> {
            if (v > 0) {
                m.put(k, v);
            }
        });
        return m;
    }

    /** The reverse of {@link #byClass}. */
    public static Resources of(Map<String, Long> byClass) {
        Map<String, Long> other = new TreeMap<>(byClass);
        long vcpus = orZero(other.remove(ResourceClass.VCPU));
        long ram = orZero(other.remove(ResourceClass.MEMORY_MB));
        long disk = orZero(other.remove(ResourceClass.DISK_GB));
        return new Resources((int) vcpus, ram, disk, other);
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }
}
