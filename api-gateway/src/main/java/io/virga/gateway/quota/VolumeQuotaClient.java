package io.virga.gateway.quota;

import io.grpc.StatusRuntimeException;
import io.virga.contracts.storage.v1.GetVolumeQuotasRequest;
import io.virga.contracts.storage.v1.SetVolumeQuotasRequest;
import io.virga.contracts.storage.v1.VolumeQuotas;
import io.virga.gateway.clients.ServiceClients;
import io.virga.gateway.error.GrpcProblems;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The block storage half of a project's quotas (volumes, gigabytes, snapshots), which storage-svc
 * keeps and enforces race-free itself (it owns the rows they count). The gateway only shows and sets them.
 */
@ApplicationScoped
public class VolumeQuotaClient {
    private static final Logger LOG = Logger.getLogger(VolumeQuotaClient.class);
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final ServiceClients clients;

    public VolumeQuotaClient(ServiceClients clients) {
        this.clients = clients;
    }

    /** The project's storage limits and usage; empty (logged) when storage-svc cannot answer now. */
    public Optional<VolumeQuotas> read(String projectId) {
        try {
            return Optional.of(clients.storage(DEADLINE).getVolumeQuotas(GetVolumeQuotasRequest.newBuilder()
                    .setProjectId(projectId).build()));
        } catch (StatusRuntimeException e) {
            LOG.warnf("volume quotas of %s not available: %s", projectId, e.getStatus());
            return Optional.empty();
        }
    }

    /** Sets the limits given (null: unchanged); a 4xx / 503 problem when storage-svc refuses or is down. */
    public VolumeQuotas set(String projectId, Long volumes, Long gigabytes, Long snapshots) {
        SetVolumeQuotasRequest.Builder b = SetVolumeQuotasRequest.newBuilder().setProjectId(projectId);
        if (volumes != null) {
            b.setVolumes(volumes);
        }
        if (gigabytes != null) {
            b.setGigabytes(gigabytes);
        }
        if (snapshots != null) {
            b.setSnapshots(snapshots);
        }
        return GrpcProblems.call(() -> clients.storage(DEADLINE).setVolumeQuotas(b.build()));
    }
}
