package io.virga.scheduler.grpc;

import static io.virga.scheduler.grpc.SelectAndClaimTest.select;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.virga.contracts.scheduler.v1.Aggregate;
import io.virga.contracts.scheduler.v1.AggregateHostRequest;
import io.virga.contracts.scheduler.v1.CreateServerGroupRequest;
import io.virga.contracts.scheduler.v1.DeleteServerGroupRequest;
import io.virga.contracts.scheduler.v1.Host;
import io.virga.contracts.scheduler.v1.HostActionRequest;
import io.virga.contracts.scheduler.v1.Inventory;
import io.virga.contracts.scheduler.v1.ListHostsRequest;
import io.virga.contracts.scheduler.v1.ListHostsResponse;
import io.virga.contracts.scheduler.v1.SchedulerServiceGrpc;
import io.virga.contracts.scheduler.v1.SelectResponse;
import io.virga.contracts.scheduler.v1.SetInventoryRequest;
import io.virga.devstack.testing.InfraTestResource;
import io.virga.platform.ids.Ids;
import io.virga.scheduler.testing.Infra;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Zones and aggregates, host actions, server groups, forbidden traits, other
 * resource classes, inventory changes and host paging, through gRPC on real
 * PostgreSQL/Kafka; every bad input is a clear status and changes nothing.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "virga_scheduler"))
class PlacementAdminTest {
    @GrpcClient("self")
    SchedulerServiceGrpc.SchedulerServiceBlockingStub scheduler;
    @Inject
    DataSource dataSource;
    @ConfigProperty(name = "virga.kafka.bootstrap-servers")
    String bootstrap;

    private Infra infra;
    private String a;
    private String b;

    @BeforeEach
    void twoHosts() {
        infra = new Infra(dataSource, bootstrap);
        infra.clean();
        a = Ids.newId("h");
        b = Ids.newId("h");
        infra.reportAndAwait(Infra.report(a, "zone-a-1", 8, 16384, 100).addTraits("CUSTOM_SSD").build(),
                Infra.report(b, "zone-b-1", 8, 8192, 100).build());
    }

    @Test
    void availabilityZonesComeFromAggregatesAndAHostIsInOneZoneOnly() {
        Aggregate east = scheduler.createAggregate(Aggregate.newBuilder().setName("east").setAvailabilityZone("east")
                .build());
        Aggregate west = scheduler.createAggregate(Aggregate.newBuilder().setName("west").setAvailabilityZone("west")
                .build());
        scheduler.addAggregateHost(AggregateHostRequest.newBuilder().setAggregateId(west.getId()).setHostId(b).build());

        SelectResponse r = scheduler.selectAndClaim(select(Ids.newId("i"), 1, 512, 1).setAvailabilityZone("west")
                .build());
        assertEquals(b, r.getClaim().getHostId(), "the only host in west, though a has more RAM");
        SelectResponse none = scheduler.selectAndClaim(select(Ids.newId("i"), 1, 512, 1).setAvailabilityZone("east")
                .build());
        assertTrue(none.getUnschedulable().getMessage().contains("availability zone east"),
                none.getUnschedulable().getMessage());
        assertEquals("AvailabilityZoneFilter", none.getUnschedulable().getRejections(0).getFilter());

        StatusRuntimeException twoZones = assertThrows(StatusRuntimeException.class, () -> scheduler.addAggregateHost(
                AggregateHostRequest.newBuilder().setAggregateId(east.getId()).setHostId(b).build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, twoZones.getStatus().getCode());
        assertTrue(twoZones.getStatus().getDescription().contains("already in availability zone west"));
        assertEquals("west", scheduler.getHost(io.virga.contracts.scheduler.v1.GetHostRequest.newBuilder().setId(b)
                .build()).getAvailabilityZone(), "nothing changed");

        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class, () -> scheduler.addAggregateHost(
                AggregateHostRequest.newBuilder().setAggregateId("agg-nope").setHostId(b).build())).getStatus()
                .getCode());
        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class, () -> scheduler.addAggregateHost(
                AggregateHostRequest.newBuilder().setAggregateId(east.getId()).setHostId("h-nope").build()))
                .getStatus().getCode());
    }

    @Test
    void aggregateMetadataReservesHostsForProjects() {
        Aggregate reserved = scheduler.createAggregate(Aggregate.newBuilder().setName("reserved")
                .putMetadata("filter_project_ids", "pr-vip").build());
        scheduler.addAggregateHost(AggregateHostRequest.newBuilder().setAggregateId(reserved.getId()).setHostId(a)
                .build());
        assertEquals(b, scheduler.selectAndClaim(select(Ids.newId("i"), 1, 512, 1).build()).getClaim().getHostId());
        assertEquals(a, scheduler.selectAndClaim(select(Ids.newId("i"), 1, 512, 1).setProjectId("pr-vip").build())
                .getClaim().getHostId());
    }

    @Test
    void disabledAndMaintenanceHostsGetNothingUntilEnabled() {
        Host off = scheduler.hostAction(HostActionRequest.newBuilder().setId(a).setAction("disable")
                .setReason("bad fan").build());
        assertFalse(off.getEnabled());
        assertEquals("bad fan", off.getDisabledReason());
        scheduler.hostAction(HostActionRequest.newBuilder().setId(b).setAction("maintenance").setReason("bios").build());
        SelectResponse none = scheduler.selectAndClaim(select(Ids.newId("i"), 1, 512, 1).build());
        assertEquals("EnabledFilter", none.getUnschedulable().getRejections(0).getFilter());
        assertEquals(2, none.getUnschedulable().getRejections(0).getHostsRejected());

        scheduler.hostAction(HostActionRequest.newBuilder().setId(a).setAction("enable").build());
        assertEquals(a, scheduler.selectAndClaim(select(Ids.newId("i"), 1, 512, 1).build()).getClaim().getHostId());

        assertEquals(Status.Code.INVALID_ARGUMENT, assertThrows(StatusRuntimeException.class, () -> scheduler
                .hostAction(HostActionRequest.newBuilder().setId(a).setAction("explode").build())).getStatus().getCode());
        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class, () -> scheduler
                .hostAction(HostActionRequest.newBuilder().setId("h-nope").setAction("enable").build())).getStatus()
                .getCode());
    }

    @Test
    void hardAntiAffinityTakesOneHostPerMemberAndThenNamesTheGroup() {
        String group = scheduler.createServerGroup(CreateServerGroupRequest.newBuilder().setName("web")
                .setProjectId("pr-test").setPolicy("anti-affinity").build()).getId();
        Set<String> hosts = new HashSet<>();
        for (int i = 0; i < 2; i++) {
            hosts.add(scheduler.selectAndClaim(select(Ids.newId("i"), 1, 512, 1).setServerGroupId(group).build())
                    .getClaim().getHostId());
        }
        assertEquals(Set.of(a, b), hosts);
        SelectResponse third = scheduler.selectAndClaim(select(Ids.newId("i"), 1, 512, 1).setServerGroupId(group)
                .build());
        assertTrue(third.getUnschedulable().getMessage().contains(group), third.getUnschedulable().getMessage());
        assertEquals("ServerGroupFilter", third.getUnschedulable().getRejections(0).getFilter());

        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class, () -> scheduler.selectAndClaim(
                select(Ids.newId("i"), 1, 512, 1).setServerGroupId("sg-nope").build())).getStatus().getCode());
        assertEquals(Status.Code.INVALID_ARGUMENT, assertThrows(StatusRuntimeException.class, () -> scheduler
                .createServerGroup(CreateServerGroupRequest.newBuilder().setName("x").setProjectId("pr-test")
                        .setPolicy("sideways").build())).getStatus().getCode());
        assertEquals(Status.Code.FAILED_PRECONDITION, assertThrows(StatusRuntimeException.class, () -> scheduler
                .deleteServerGroup(DeleteServerGroupRequest.newBuilder().setId(group).build())).getStatus().getCode());
    }

    @Test
    void softAffinityPrefersTheMembersHost() {
        String group = scheduler.createServerGroup(CreateServerGroupRequest.newBuilder().setName("db")
                .setProjectId("pr-test").setPolicy("soft-affinity").build()).getId();
        String first = scheduler.selectAndClaim(select(Ids.newId("i"), 1, 512, 1).setServerGroupId(group).build())
                .getClaim().getHostId();
        for (int i = 0; i < 3; i++) {
            assertEquals(first, scheduler.selectAndClaim(select(Ids.newId("i"), 1, 512, 1).setServerGroupId(group)
                    .build()).getClaim().getHostId());
        }
    }

    @Test
    void forbiddenTraitsAndOtherResourceClasses() {
        SelectResponse r = scheduler.selectAndClaim(select(Ids.newId("i"), 1, 512, 1).addForbiddenTraits("CUSTOM_SSD")
                .build());
        assertEquals(b, r.getClaim().getHostId(), "a has the forbidden trait");

        scheduler.setInventory(SetInventoryRequest.newBuilder().setHostId(b).setInventory(Inventory.newBuilder()
                .setResourceClass("PCI_GPU").setTotal(2)).build());
        SelectResponse gpu = scheduler.selectAndClaim(select(Ids.newId("i"), 1, 512, 1).setResources(
                io.virga.contracts.scheduler.v1.Resources.newBuilder().setVcpus(1).setRamMb(512).putOther("PCI_GPU", 2))
                .build());
        assertEquals(b, gpu.getClaim().getHostId());
        assertEquals(2, infra.used(b, "PCI_GPU"));
        SelectResponse noGpu = scheduler.selectAndClaim(select(Ids.newId("i"), 1, 512, 1).setResources(
                io.virga.contracts.scheduler.v1.Resources.newBuilder().setVcpus(1).setRamMb(512).putOther("PCI_GPU", 1))
                .build());
        assertTrue(noGpu.hasUnschedulable());
        assertEquals(0, infra.brokenInventories());
    }

    @Test
    void inventoryBelowWhatIsAllocatedIsRefusedAndNothingChanges() {
        scheduler.selectAndClaim(select(Ids.newId("i"), 2, 6144, 1).setRequestedHost(b).build());
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> scheduler.setInventory(
                SetInventoryRequest.newBuilder().setHostId(b).setInventory(Inventory.newBuilder()
                        .setResourceClass("MEMORY_MB").setReserved(4096)).build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("6144 is allocated"), e.getStatus().getDescription());
        assertEquals(0, infra.queryLong("SELECT reserved FROM inventories WHERE host_id = ? AND resource_class = ?",
                b, "MEMORY_MB"));
        // a pinned ratio survives the next report
        scheduler.setInventory(SetInventoryRequest.newBuilder().setHostId(b).setInventory(Inventory.newBuilder()
                .setResourceClass("MEMORY_MB").setAllocationRatio(1.5)).build());
        infra.reportAndAwait(Infra.report(b, "zone-b-1", 8, 8192, 100).build());
        assertEquals(1.5, scheduler.getHost(io.virga.contracts.scheduler.v1.GetHostRequest.newBuilder().setId(b)
                .build()).getRamAllocationRatio());
    }

    @Test
    void hostsArePagedInTheDatabase() {
        for (int i = 0; i < 5; i++) {
            infra.reportAndAwait(Infra.report(Ids.newId("h"), "page-" + i, 2, 1024, 10).build());
        }
        List<String> names = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            ListHostsResponse page = scheduler.listHosts(ListHostsRequest.newBuilder().setPageSize(3)
                    .setPageToken(token).build());
            page.getHostsList().forEach(h -> names.add(h.getName()));
            token = page.getNextPageToken();
            pages++;
        } while (!token.isEmpty());
        assertEquals(3, pages);
        assertEquals(List.of("page-0", "page-1", "page-2", "page-3", "page-4", "zone-a-1", "zone-b-1"), names);
        assertEquals(Status.Code.INVALID_ARGUMENT, assertThrows(StatusRuntimeException.class, () -> scheduler
                .listHosts(ListHostsRequest.newBuilder().setPageToken("!!").build())).getStatus().getCode());
        assertEquals(Status.Code.INVALID_ARGUMENT, assertThrows(StatusRuntimeException.class, () -> scheduler
                .listHosts(ListHostsRequest.newBuilder().setPageSize(5000).build())).getStatus().getCode());
    }
}
