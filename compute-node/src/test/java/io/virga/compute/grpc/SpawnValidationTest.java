package io.virga.compute.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.virga.compute.testing.TempStateDirResource;
import io.virga.contracts.compute.v1.ComputeServiceGrpc;
import io.virga.contracts.compute.v1.DestroyRequest;
import io.virga.contracts.compute.v1.Disk;
import io.virga.contracts.compute.v1.GetGuestRequest;
import io.virga.contracts.compute.v1.NetworkInterface;
import io.virga.contracts.compute.v1.SpawnRequest;
import io.virga.devstack.testing.InfraTestResource;
import io.virga.platform.ids.Ids;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad input gets INVALID_ARGUMENT "field: message" and changes nothing. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "virga_compute"))
@QuarkusTestResource(TempStateDirResource.class)
class SpawnValidationTest {

    @GrpcClient("self")
    ComputeServiceGrpc.ComputeServiceBlockingStub compute;

    @ParameterizedTest(name = "{0} = \"{1}\"")
    @CsvSource(delimiter = '|', textBlock = """
            instance_id            |              | instance_id: is required
            instance_id            | x-1          | instance_id: must be an instance id like i-7kq2m9x4b1c8, got 'x-1'
            instance_id            | i-../../etc  | instance_id: must be an instance id
            project_id             |              | project_id: is required
            name                   |              | name: is required
            name                   | LONG         | name: must be at most 255 characters
            name                   | CTRL         | name: must not contain control characters
            vcpus                  | 0            | vcpus: must be between 1 and 4096, got 0
            vcpus                  | -1           | vcpus: must be between 1 and 4096, got 4294967295
            ram_mb                 | 0            | ram_mb: must be between 1 and 16777216, got 0
            kind                   |              | kind: must be one of vm, container, desktop, got ''
            kind                   | lxc          | kind: must be one of vm, container, desktop, got 'lxc'
            virt_mode              | PARA         | virt_mode: must be one of full, para, hybrid, got 'PARA'
            interfaces[0].port_id  |              | interfaces[0].port_id: is required
            interfaces[0].mac      | 52:54:00     | interfaces[0].mac_address: must look like 52:54:00:12:34:56
            interfaces[0].mac      | 01:00:5e:00:00:01 | interfaces[0].mac_address: must be a unicast address
            interfaces[0].ip       | 10.0.0.300   | interfaces[0].ip_address: must be an IPv4 or IPv6 address
            interfaces[0].vni      | 0            | interfaces[0].vni: must be between 1 and 16777215, got 0
            interfaces[0].vni      | 16777216     | interfaces[0].vni: must be between 1 and 16777215
            interfaces[1].dup      | port         | interfaces[1].port_id: p-1 appears twice
            interfaces[1].dup      | mac          | interfaces[1].mac_address: 52:54:00:12:34:56 appears twice
            disks[0].volume_id     |              | disks[0].volume_id: is required
            disks[0].size_gb       | 0            | disks[0].size_gb: must be between 1 and 1048576, got 0
            disks[1].dup           | volume       | disks[1].volume_id: v-1 appears twice
            disks[1].dup           | boot         | disks[1].boot: only one disk may be the boot disk
            user_data              | BIG          | user_data: must be at most 65535 bytes
            """)
    void badInputIsInvalidArgumentNamingTheFieldAndChangesNothing(String field, String value, String expected) {
        String id = Ids.newId("i");
        SpawnRequest request = mutate(valid(id), field, value == null ? "" : value).build();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> compute.spawn(request));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().toString());
        assertTrue(e.getStatus().getDescription().startsWith(expected),
                "expected '" + expected + "', got '" + e.getStatus().getDescription() + "'");
        StatusRuntimeException lookup = assertThrows(StatusRuntimeException.class,
                () -> compute.getGuest(GetGuestRequest.newBuilder().setInstanceId(id).build()));
        assertEquals(Status.Code.NOT_FOUND, lookup.getStatus().getCode(), "no guest was made");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
                         | instance_id: is required
            h-abcdefghjkmn | instance_id: must be an instance id
            """)
    void destroyAndGetCheckTheInstanceId(String id, String expected) {
        String value = id == null ? "" : id;
        StatusRuntimeException d = assertThrows(StatusRuntimeException.class,
                () -> compute.destroy(DestroyRequest.newBuilder().setInstanceId(value).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, d.getStatus().getCode());
        assertTrue(d.getStatus().getDescription().startsWith(expected), d.getStatus().getDescription());
        StatusRuntimeException g = assertThrows(StatusRuntimeException.class,
                () -> compute.getGuest(GetGuestRequest.newBuilder().setInstanceId(value).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, g.getStatus().getCode());
    }

    static SpawnRequest.Builder valid(String id) {
        return SpawnRequest.newBuilder().setInstanceId(id).setProjectId("prj-test").setName("web").setVcpus(1)
                .setRamMb(256).setKind("vm").setVirtMode("para")
                .addInterfaces(NetworkInterface.newBuilder().setPortId("p-1").setMacAddress("52:54:00:12:34:56")
                        .setIpAddress("10.0.0.7").setVni(10))
                .addDisks(Disk.newBuilder().setVolumeId("v-1").setSizeGb(10).setBoot(true));
    }

    static SpawnRequest.Builder mutate(SpawnRequest.Builder r, String field, String value) {
        switch (field) {
            case "instance_id" -> r.setInstanceId(value);
            case "project_id" -> r.setProjectId(value);
            case "name" -> r.setName(switch (value) {
                case "LONG" -> "x".repeat(256);
                case "CTRL" -> "web\u0007";
                default -> value;
            });
            case "vcpus" -> r.setVcpus(Integer.parseInt(value));
            case "ram_mb" -> r.setRamMb(Long.parseLong(value));
            case "kind" -> r.setKind(value);
            case "virt_mode" -> r.setVirtMode(value);
            case "interfaces[0].port_id" -> r.setInterfaces(0, r.getInterfaces(0).toBuilder().setPortId(value));
            case "interfaces[0].mac" -> r.setInterfaces(0, r.getInterfaces(0).toBuilder().setMacAddress(value));
            case "interfaces[0].ip" -> r.setInterfaces(0, r.getInterfaces(0).toBuilder().setIpAddress(value));
            case "interfaces[0].vni" -> r.setInterfaces(0, r.getInterfaces(0).toBuilder().setVni(Integer.parseInt(value)));
            case "interfaces[1].dup" -> r.addInterfaces(value.equals("port")
                    ? r.getInterfaces(0).toBuilder().setMacAddress("52:54:00:00:00:09").build()
                    : r.getInterfaces(0).toBuilder().setPortId("p-2").build());
            case "disks[0].volume_id" -> r.setDisks(0, r.getDisks(0).toBuilder().setVolumeId(value));
            case "disks[0].size_gb" -> r.setDisks(0, r.getDisks(0).toBuilder().setSizeGb(Integer.parseInt(value)));
            case "disks[1].dup" -> r.addDisks(value.equals("volume")
                    ? r.getDisks(0).toBuilder().setBoot(false).build()
                    : r.getDisks(0).toBuilder().setVolumeId("v-2").build());
            case "user_data" -> r.setUserData("x".repeat(70_000));
            default -> throw new IllegalArgumentException("no such case " + field);
        }
        return r;
    }
}
