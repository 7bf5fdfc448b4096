package io.virga.gateway.project;

import io.grpc.Deadline;
import io.quarkus.grpc.GrpcClient;
import io.virga.contracts.network.v1.ListFloatingIpsRequest;
import io.virga.contracts.network.v1.ListNetworksRequest;
import io.virga.contracts.network.v1.ListPortsRequest;
import io.virga.contracts.network.v1.ListRoutersRequest;
import io.virga.contracts.network.v1.ListSecurityGroupsRequest;
import io.virga.contracts.network.v1.NetworkServiceGrpc.NetworkServiceBlockingStub;
import io.virga.contracts.scheduler.v1.ListServerGroupsRequest;
import io.virga.contracts.scheduler.v1.SchedulerServiceGrpc.SchedulerServiceBlockingStub;
import io.virga.contracts.storage.v1.ListImagesRequest;
import io.virga.contracts.storage.v1.ListSnapshotsRequest;
import io.virga.contracts.storage.v1.ListVolumesRequest;
import io.virga.contracts.storage.v1.StorageServiceGrpc.StorageServiceBlockingStub;
import io.virga.gateway.api.GatewayConfig;
import io.virga.gateway.error.GrpcProblems;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What a project holds in the other services, counted for {@code DELETE /v1/projects/{id}}: volumes, snapshots,
 * images, networks, ports, security groups (but its automatic {@code default} group), routers, floating IPs and
 * server groups that it owns (shared resources of other projects do not count). A service that cannot answer
 * makes the delete a 503 (we never delete a project we could not check).
 */
@ApplicationScoped
public class ProjectHoldings {
    static final String DEFAULT_SECURITY_GROUP = "default";

    private final NetworkServiceBlockingStub network;
    private final StorageServiceBlockingStub storage;
    private final SchedulerServiceBlockingStub scheduler;
    private final GatewayConfig config;

    public ProjectHoldings(@GrpcClient("network") NetworkServiceBlockingStub network,
            @GrpcClient("storage") StorageServiceBlockingStub storage,
            @GrpcClient("scheduler") SchedulerServiceBlockingStub scheduler, GatewayConfig config) {
        this.network = network;
        this.storage = storage;
        this.scheduler = scheduler;
        this.config = config;
    }

    /** Non-zero counts by kind ({@code volumes → 2}); empty when the project holds nothing elsewhere. */
    public Map<String, Long> count(String projectId) {
        Map<String, Long> out = new LinkedHashMap<>();
        Deadline d = Deadline.after(config.grpcDeadline().toMillis(), TimeUnit.MILLISECONDS);
        StorageServiceBlockingStub st = storage.withDeadline(d);
        NetworkServiceBlockingStub net = network.withDeadline(d);
        put(out, "volumes", orNone(() -> st.listVolumes(ListVolumesRequest.newBuilder().setProjectId(projectId)
                .build()).getVolumesList().stream().filter(v -> projectId.equals(v.getProjectId())).count()));
        put(out, "snapshots", orNone(() -> st.listSnapshots(ListSnapshotsRequest.newBuilder()
                .setProjectId(projectId).build()).getSnapshotsList().stream()
                .filter(v -> projectId.equals(v.getProjectId())).count()));
        put(out, "images", orNone(() -> st.listImages(ListImagesRequest.newBuilder().setProjectId(projectId)
                .build()).getImagesList().stream().filter(i -> projectId.equals(i.getProjectId())).count()));
        put(out, "networks", orNone(() -> net.listNetworks(ListNetworksRequest.newBuilder().setProjectId(projectId)
                .build()).getNetworksList().stream().filter(n -> projectId.equals(n.getProjectId())).count()));
        put(out, "ports", orNone(() -> net.listPorts(ListPortsRequest.newBuilder().setProjectId(projectId)
                .build()).getPortsList().stream().filter(p -> projectId.equals(p.getProjectId())).count()));
        put(out, "security_groups", orNone(() -> net.listSecurityGroups(ListSecurityGroupsRequest.newBuilder()
                .setProjectId(projectId).build()).getSecurityGroupsList().stream()
                .filter(g -> projectId.equals(g.getProjectId()) && !DEFAULT_SECURITY_GROUP.equals(g.getName()))
                .count()));
        put(out, "routers", orNone(() -> net.listRouters(ListRoutersRequest.newBuilder().setProjectId(projectId)
                .build()).getRoutersList().stream().filter(r -> projectId.equals(r.getProjectId())).count()));
        put(out, "floating_ips", orNone(() -> net.listFloatingIps(ListFloatingIpsRequest.newBuilder()
                .setProjectId(projectId).build()).getFloatingIpsList().stream()
                .filter(f -> projectId.equals(f.getProjectId())).count()));
        put(out, "server_groups", orNone(() -> scheduler.withDeadline(d).listServerGroups(ListServerGroupsRequest
                .newBuilder().setProjectId(projectId).build()).getServerGroupsList().stream()
                .filter(g -> projectId.equals(g.getProjectId())).count()));
        return out;
    }

    /** A service without the list rpc (UNIMPLEMENTED) cannot hold that kind of resource: 0. */
    private static long orNone(java.util.function.LongSupplier count) {
        try {
            return count.getAsLong();
        } catch (io.virga.gateway.error.ApiException e) {
            throw e;
        } catch (io.grpc.StatusRuntimeException e) {
            if (e.getStatus().getCode() == io.grpc.Status.Code.UNIMPLEMENTED) {
                return 0;
            }
            throw GrpcProblems.from(e);
        }
    }

    private static void put(Map<String, Long> out, String kind, long n) {
        if (n > 0) {
            out.put(kind, n);
        }
    }
}
