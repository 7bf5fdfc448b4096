package io.virga.storage.volume;

import static io.virga.platform.grpc.GrpcErrors.failedPrecondition;

import io.virga.storage.backend.Backends;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Thin-provisioning admission: a backend may have provisioned (sum of volume
 * sizes) up to its physical bytes × over-subscription ratio. Checked under a
 * per-backend advisory lock held until the caller's transaction commits the
 * new row, so concurrent creates cannot both slip under the limit.
 */
final class Capacity {
    private static final long GIB = 1L << 30;

    private Capacity() {
    }

    /** FAILED_PRECONDITION (409 at the gateway) when {@code moreGb} does not fit; nothing is written. */
    static void reserve(Connection c, VolumeRepository repo, Backends backends, String backend, long moreGb)
            throws SQLException {
        repo.lockBackend(c, backend);
        long provisioned = repo.provisionedGb(c, backend);
        double ratio = backends.settings(backend).oversubscriptionRatio();
        long limitGb = (long) Math.floor(backends.physicalBytes(backend) / (double) GIB * ratio);
        if (provisioned + moreGb > limitGb) {
            throw failedPrecondition("capacity: backend " + backend + " has " + provisioned + " GiB provisioned of "
                    + limitGb + " GiB it may provision (physical × over-subscription ratio " + ratio + "); "
                    + moreGb + " GiB more does not fit");
        }
    }
}
