package io.virga.scheduler.grpc;

import io.grpc.StatusRuntimeException;
import io.virga.contracts.scheduler.v1.SelectRequest;
import io.virga.platform.grpc.GrpcErrors;
import io.virga.scheduler.filter.GroupPlacement;
import io.virga.scheduler.filter.PlacementRequest;
import io.virga.scheduler.host.ResourceClass;
import java.util.Map;
import java.util.TreeMap;
import io.virga.scheduler.host.Resources;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns wire requests into validated domain requests. Every field is
 * checked; a bad one raises INVALID_ARGUMENT "field: message" before
 * anything is read or written.
 */
final class Requests {
    static final int MAX_VCPUS = 4096;
    static final long MAX_RAM_MB = 1L << 32;   // 4 PiB
    static final long MAX_DISK_GB = 1L << 32;
    private static final int MAX_ID = 128;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]*");
    private static final Pattern HYPERVISOR = Pattern.compile("[a-z][a-z0-9_-]{0,31}");
    private static final Pattern TRAIT = Pattern.compile("[A-Za-z0-9_:.-]{1,255}");
    private static final int MAX_LIST = 256;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._:-]{0,254}");

    private Requests() {
    }

    static PlacementRequest placement(SelectRequest req, int maxAlternates) {
        String consumerId = id("consumer_id", req.getConsumerId());
        String projectId = id("project_id", req.getProjectId());
        if (!req.hasResources()) {
            throw GrpcErrors.invalidArgument("resources", "is required");
        }
        long vcpus = Integer.toUnsignedLong(req.getResources().getVcpus());
        if (vcpus < 1 || vcpus > MAX_VCPUS) {
            throw GrpcErrors.invalidArgument("resources.vcpus", "must be between 1 and " + MAX_VCPUS);
        }
        long ram = req.getResources().getRamMb();
        if (ram < 1 || ram > MAX_RAM_MB) {
            throw GrpcErrors.invalidArgument("resources.ram_mb", "must be between 1 and " + MAX_RAM_MB);
        }
        long disk = req.getResources().getDiskGb();
        if (disk < 0 || disk > MAX_DISK_GB) {
            throw GrpcErrors.invalidArgument("resources.disk_gb", "must be between 0 and " + MAX_DISK_GB);
        }
        String type = req.getHypervisorType();
        if (!type.isEmpty() && !HYPERVISOR.matcher(type).matches()) {
            throw GrpcErrors.invalidArgument("hypervisor_type",
                    "must be empty (any) or a lower-case name such as sim, qemu, runc");
        }
        Set<String> traits = list("required_traits", req.getRequiredTraitsList(), TRAIT,
                "must be trait names of letters, digits and _ : . -");
        Set<String> excluded = list("excluded_hosts", req.getExcludedHostsList(), ID, "must be host ids");
        long alternates = Integer.toUnsignedLong(req.getAlternates());
        if (alternates > maxAlternates) {
            throw GrpcErrors.invalidArgument("alternates", "must be at most " + maxAlternates);
        }
        String requested = req.getRequestedHost().isEmpty() ? "" : id("requested_host", req.getRequestedHost());
        Set<String> forbidden = list("forbidden_traits", req.getForbiddenTraitsList(), TRAIT,
                "must be trait names of letters, digits and _ : . -");
        for (String t : forbidden) {
            if (traits.contains(t)) {
                throw GrpcErrors.invalidArgument("forbidden_traits", t + " is also required");
            }
        }
        String az = req.getAvailabilityZone().isEmpty() ? "" : name("availability_zone", req.getAvailabilityZone());
        String flavor = req.getFlavorId().isEmpty() ? "" : id("flavor_id", req.getFlavorId());
        GroupPlacement group = req.getServerGroupId().isEmpty() ? null
                : new GroupPlacement(id("server_group_id", req.getServerGroupId()), "", "", Map.of());
        Map<String, Long> other = new TreeMap<>();
        for (Map.Entry<String, Long> e : req.getResources().getOtherMap().entrySet()) {
            if (!ResourceClass.NAME.matcher(e.getKey()).matches() || isStandard(e.getKey())) {
                throw GrpcErrors.invalidArgument("resources.other",
                        e.getKey() + " is not a resource class name (upper case; VCPU, MEMORY_MB, DISK_GB have fields)");
            }
            if (e.getValue() < 0 || e.getValue() > MAX_DISK_GB) {
                throw GrpcErrors.invalidArgument("resources.other." + e.getKey(), "must be between 0 and " + MAX_DISK_GB);
            }
            other.put(e.getKey(), e.getValue());
        }
        return new PlacementRequest(consumerId, projectId, new Resources((int) vcpus, ram, disk, other), type, traits,
                excluded, (int) alternates, requested, forbidden, az, flavor, group);
    }

    private static boolean isStandard(String rc) {
        return ResourceClass.VCPU.equals(rc) || ResourceClass.MEMORY_MB.equals(rc) || ResourceClass.DISK_GB.equals(rc);
    }

    /** A name-like field (zone, aggregate name): 1..255 printable characters without control characters. */
    static String name(String field, String value) {
        if (value.isBlank() || value.length() > 255 || !NAME.matcher(value).matches()) {
            throw GrpcErrors.invalidArgument(field, "must be 1 to 255 letters, digits, spaces and . _ : -");
        }
        return value;
    }

    /** A required id-like field: non-empty, at most 128 characters, no spaces or odd characters. */
    static String id(String field, String value) {
        if (value.isEmpty()) {
            throw GrpcErrors.invalidArgument(field, "is required");
        }
        if (value.length() > MAX_ID || !ID.matcher(value).matches()) {
            throw GrpcErrors.invalidArgument(field, "must be an id of at most " + MAX_ID
                    + " letters, digits and . _ : -");
        }
        return value;
    }

    private static Set<String> list(String field, List<String> values, Pattern pattern, String message) {
        if (values.size() > MAX_LIST) {
            throw GrpcErrors.invalidArgument(field, "must have at most " + MAX_LIST + " entries");
        }
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            if (v.isEmpty() || v.length() > 255 || !pattern.matcher(v).matches()) {
                throw invalid(field + "[" + i + "]", message);
            }
            out.add(v);
        }
        return out;
    }

    private static StatusRuntimeException invalid(String field, String message) {
        return GrpcErrors.invalidArgument(field, message);
    }
}
