package io.virga.gateway.volume;

import io.virga.gateway.openapi.OpenApiConventions;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import io.virga.contracts.storage.v1.AuditRequest;
import io.virga.contracts.storage.v1.GetCapacityRequest;
import io.virga.gateway.auth.CallerContext;
import io.virga.gateway.clients.ServiceClients;
import io.virga.gateway.error.GrpcProblems;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Cloud admins: storage capacity per backend (thin provisioning) and the volume auditor. */
@Path("/v1/admin/storage")
@Tag(name = "volumes", description = "Block storage")
@Produces(MediaType.APPLICATION_JSON)
public class StorageAdminResource {
    private final CallerContext callers;
    private final ServiceClients clients;

    public StorageAdminResource(CallerContext callers, ServiceClients clients) {
        this.callers = callers;
        this.clients = clients;
    }

    public record CapacityView(String backend, long provisionedBytes, long allocatedBytes, long physicalBytes,
            long physicalFreeBytes, double oversubscriptionRatio, long provisionableBytes, int volumes) {
    }

    public record FindingView(String kind, String backend, String volumeId, String detail, boolean cleaned) {
    }

    public record AuditView(int volumes, List<FindingView> findings) {
    }

    @GET
    @Path("capacity")
    @Operation(operationId = "getStorageCapacity",
            summary = "Provisioned, allocated and physical bytes per backend, with the over-subscription ratio")
    @Extension(name = OpenApiConventions.ERRORS, value = "403")
    public List<CapacityView> capacity() {
        callers.requireCloudAdmin();
        return GrpcProblems.call(() -> clients.storage(Duration.ofSeconds(60)).getCapacity(
                GetCapacityRequest.getDefaultInstance())).getBackendsList().stream()
                .map(b -> new CapacityView(b.getBackend(), b.getProvisionedBytes(), b.getAllocatedBytes(),
                        b.getPhysicalBytes(), b.getPhysicalFreeBytes(), b.getOversubscriptionRatio(),
                        b.getProvisionableBytes(), b.getVolumes())).toList();
    }

    @POST
    @Path("audit")
    @Operation(operationId = "runStorageAudit",
            summary = "Compare volume rows with the backends' data; ?clean=true removes orphan data and marks "
            + "rows without data ERROR")
    public AuditView audit(@QueryParam("clean") boolean clean) {
        callers.requireCloudAdmin();
        var r = GrpcProblems.call(() -> clients.storage(Duration.ofMinutes(5)).audit(
                AuditRequest.newBuilder().setClean(clean).build()));
        return new AuditView(r.getVolumes(), r.getFindingsList().stream().map(f -> new FindingView(f.getKind(),
                f.getBackend(), f.getVolumeId(), f.getDetail(), f.getCleaned())).toList());
    }
}
