package io.virga.scheduler.host;

import io.virga.contracts.events.v1.HostReport;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a compute node says about itself in a {@link HostReport}: identity,
 * totals and traits, as of {@code reportedAt}.
 */
public record HostInventory(String hostId, String name, String hypervisorType, String computeEndpoint,
                            Resources total, Set<String> traits, Instant reportedAt) {
    public HostInventory {
        Objects.requireNonNull(hostId, "hostId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(hypervisorType, "hypervisorType");
        Objects.requireNonNull(computeEndpoint, "computeEndpoint");
        Objects.requireNonNull(total, "total");
        traits = Set.copyOf(traits);
        Objects.requireNonNull(reportedAt, "reportedAt");
    }

    /**
     * Reads a report. The heartbeat time is the report's {@code reported_at}
     * (RFC 3339), or {@code fallback} when it is missing or unreadable, and
     * never later than {@code now}: a node whose clock runs ahead must not
     * look alive after it stops reporting.
     *
     * @throws IllegalArgumentException when the report has no host id, or
     *     sizes that do not fit (such a report can never be applied)
     */
    public static HostInventory from(HostReport report, Instant fallback, Instant now) {
        if (report.getHostId().isBlank()) {
            throw new IllegalArgumentException("host report without host_id");
        }
        if (report.getVcpus() < 0 || report.getRamMb() < 0 || report.getDiskGb() < 0) {
            throw new IllegalArgumentException("host report " + report.getHostId() + " has sizes out of range");
        }
        Instant at = fallback;
        if (!report.getReportedAt().isBlank()) {
            try {
                at = Instant.parse(report.getReportedAt());
            } catch (DateTimeParseException e) {
                at = fallback;
            }
        }
        if (at.isAfter(now)) {
            at = now;
        }
        String name = report.getHostName().isBlank() ? report.getHostId() : report.getHostName();
        String type = report.getHypervisorType().isBlank() ? "unknown" : report.getHypervisorType();
        Set<String> traits = new TreeSet<>();
        for (String t : report.getTraitsList()) {
            if (!t.isBlank()) {
                traits.add(t.strip());
            }
        }
        return new HostInventory(report.getHostId(), name, type, report.getComputeEndpoint(),
                new Resources(report.getVcpus(), report.getRamMb(), report.getDiskGb()), traits, at);
    }
}
