package io.virga.gateway.audit;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one consistency audit run found ({@code POST /v1/admin/consistency-audit}).
 *
 * @param startedAt  when the run started (ISO-8601)
 * @param repair     whether safe repairs were asked for
 * @param checked    how many things of each kind were compared (projects, instances, ports, volumes, hosts, guests)
 * @param counts     findings per kind
 * @param findings   every finding
 */
public record AuditReport(String startedAt, boolean repair, Map<String, Integer> checked, Map<String, Integer> counts,
                          List<AuditFinding> findings) {
    static AuditReport of(String startedAt, boolean repair, Map<String, Integer> checked, List<AuditFinding> findings) {
        Map<String, Integer> counts = new TreeMap<>();
        for (AuditFinding.Kind k : AuditFinding.Kind.values()) {
            counts.put(k.name().toLowerCase(java.util.Locale.ROOT), 0);
        }
        findings.forEach(f -> counts.merge(f.kind().name().toLowerCase(java.util.Locale.ROOT), 1, Integer::sum));
        return new AuditReport(startedAt, repair, new TreeMap<>(checked), counts, List.copyOf(findings));
    }
}
