package io.virga.storage.volume;

import io.virga.platform.db.Tx;
import io.virga.storage.backend.Backends;
import io.virga.storage.backend.VolumeBackend;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Compares the volume rows with what each backend really holds and reports
 * orphans both ways; with {@code clean}: data without a row is removed, a row
 * whose data is gone becomes ERROR (so its owner sees it and deletes it).
 * Rows in CREATING or DELETING are skipped (their data comes and goes).
 */
@ApplicationScoped
public class VolumeAuditor {
    /** What the auditor found. */
    public record Finding(String kind, String backend, String volumeId, String detail, boolean cleaned) {
    }

    public record Report(List<Finding> findings, int volumes) {
    }

    private static final Set<VolumeStatus> IN_FLUX = EnumSet.of(VolumeStatus.CREATING, VolumeStatus.DELETING);

    private final Tx tx;
    private final VolumeRepository volumes;
    private final Backends backends;

    public VolumeAuditor(Tx tx, VolumeRepository volumes, Backends backends) {
        this.tx = tx;
        this.volumes = volumes;
        this.backends = backends;
    }

    public Report audit(boolean clean) {
        List<Finding> findings = new ArrayList<>();
        int count = 0;
        for (Map.Entry<String, VolumeBackend> e : backends.storing().entrySet()) {
            String name = e.getKey();
            VolumeBackend backend = e.getValue();
            Set<String> held = backend.volumeIds();
            Map<String, Volume> rows = tx.run(c -> volumes.onBackend(c, name)).stream()
                    .collect(Collectors.toMap(Volume::id, Function.identity()));
            count += rows.size();
            for (String id : held) {
                if (!rows.containsKey(id)) {
                    if (clean) {
                        backend.delete(id);
                    }
                    findings.add(new Finding("ORPHAN_DATA", name, id, "data without a volume row", clean));
                }
            }
            for (Volume v : rows.values()) {
                if (held.contains(v.id()) || IN_FLUX.contains(v.status()) || v.status() == VolumeStatus.ERROR) {
                    continue;
                }
                if (clean) {
                    tx.run(c -> {
                        volumes.lock(c, v.id()).filter(x -> x.status() == v.status()).ifPresent(x -> {
                            try {
                                volumes.update(c, x.settle(VolumeStatus.ERROR, x.sizeGb(), "its data is missing (auditor)"));
                            } catch (java.sql.SQLException ex) {
                                throw new IllegalStateException(ex);
                            }
                        });
                        return null;
                    });
                }
                findings.add(new Finding("MISSING_DATA", name, v.id(), "row " + v.status() + " without data", clean));
            }
        }
        return new Report(findings, count);
    }
}
