package io.virga.storage.volume;

import io.virga.platform.db.Tx;
import io.virga.storage.backend.Backends;
import io.virga.storage.backend.VolumeBackend;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Honest thin-provisioning accounting per backend: provisioned, allocated and physical bytes. */
@ApplicationScoped
public class CapacityReport {
    private static final long GIB = 1L << 30;

    /** One backend's figures. */
    public record Line(String backend, long provisionedBytes, long allocatedBytes, long physicalBytes,
            long physicalFreeBytes, double ratio, long provisionableBytes, int volumes) {
    }

    private final Tx tx;
    private final VolumeRepository volumes;
    private final Backends backends;

    public CapacityReport(Tx tx, VolumeRepository volumes, Backends backends) {
        this.tx = tx;
        this.volumes = volumes;
        this.backends = backends;
    }

    public List<Line> lines() {
        List<Line> out = new ArrayList<>();
        for (Map.Entry<String, VolumeBackend> e : backends.storing().entrySet()) {
            String name = e.getKey();
            List<Volume> rows = tx.run(c -> volumes.onBackend(c, name));
            long provisionedGb = tx.run(c -> volumes.provisionedGb(c, name));
            long allocated = rows.stream().mapToLong(v -> e.getValue().allocatedBytes(v.id())).sum();
            VolumeBackend.Physical physical = e.getValue().physical();
            long physicalBytes = backends.physicalBytes(name);
            double ratio = backends.settings(name).oversubscriptionRatio();
            out.add(new Line(name, provisionedGb * GIB, allocated, physicalBytes, physical.freeBytes(), ratio,
                    (long) Math.floor(physicalBytes / (double) GIB * ratio) * GIB, rows.size()));
        }
        return out;
    }
}
