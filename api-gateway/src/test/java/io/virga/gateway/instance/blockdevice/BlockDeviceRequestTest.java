package io.virga.gateway.instance.blockdevice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.virga.contracts.compute.v1.DiskBus;
import io.virga.contracts.compute.v1.DiskFormat;
import io.virga.contracts.compute.v1.SpawnRequest;
import io.virga.gateway.error.FieldError;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The shape of boot_volume / volumes on instance create, and the disks spawn gets for them. */
class BlockDeviceRequestTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static BlockDeviceRequest parse(String body, List<FieldError> errors) throws Exception {
        return BlockDeviceRequest.parse(JSON.readTree(body), errors);
    }

    @Test
    void noBlockDevicesIsEmpty() throws Exception {
        List<FieldError> errors = new ArrayList<>();
        assertTrue(parse("{\"name\": \"x\"}", errors).isEmpty());
        assertTrue(parse("{\"volumes\": [], \"boot_volume\": null}", errors).isEmpty());
        assertEquals(List.of(), errors);
    }

    @Test
    void anExistingBootVolumeAndVolumesAsIdsOrObjects() throws Exception {
        List<FieldError> errors = new ArrayList<>();
        BlockDeviceRequest r = parse("{\"boot_volume\": {\"volume_id\": \"v-boot\"},"
                + " \"volumes\": [\"v-data1\", {\"volume_id\": \"v-data2\"}]}", errors);
        assertEquals(List.of(), errors);
        assertEquals("v-boot", r.boot().volumeId());
        assertEquals(List.of("v-boot", "v-data1", "v-data2"), r.existingVolumes());
        BlockDevicePlan plan = BlockDevicePlan.of(r);
        assertTrue(plan.bootsFromVolume());
        assertEquals(List.of("v-boot", "v-data1", "v-data2"), plan.toAttach().stream()
                .map(BlockDevicePlan.BootOrData::volumeId).toList());
    }

    @Test
    void aNewBootVolumeFromTheImage() throws Exception {
        List<FieldError> errors = new ArrayList<>();
        BlockDeviceRequest r = parse("{\"boot_volume\": {\"size_gb\": 2, \"delete_on_termination\": true}}", errors);
        assertEquals(List.of(), errors);
        assertTrue(r.boot().isNew());
        assertEquals(2, r.boot().sizeGb());
        assertTrue(r.boot().deleteOnTermination());
        BlockDevicePlan plan = BlockDevicePlan.of(r);
        assertEquals(List.of(), plan.toAttach(), "nothing to attach until the volume is made");
        plan.madeVolumeId = "v-made";
        assertEquals(List.of(new BlockDevicePlan.BootOrData("v-made", true)), plan.toAttach());
        assertEquals(false, BlockDevicePlan.of(parse("{\"boot_volume\": {\"size_gb\": 1}}", errors)).deleteOnTermination,
                "delete_on_termination defaults to false");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "both id and size          | {\"boot_volume\": {\"volume_id\": \"v-a\", \"size_gb\": 1}}   | boot_volume",
        "neither                   | {\"boot_volume\": {}}                                         | boot_volume",
        "not an object             | {\"boot_volume\": \"v-a\"}                                    | boot_volume",
        "size zero                 | {\"boot_volume\": {\"size_gb\": 0}}                           | boot_volume.size_gb",
        "size negative             | {\"boot_volume\": {\"size_gb\": -4}}                          | boot_volume.size_gb",
        "size too big              | {\"boot_volume\": {\"size_gb\": 16385}}                       | boot_volume.size_gb",
        "size not a whole number   | {\"boot_volume\": {\"size_gb\": 1.5}}                         | boot_volume.size_gb",
        "size a string             | {\"boot_volume\": {\"size_gb\": \"2\"}}                       | boot_volume.size_gb",
        "unknown key               | {\"boot_volume\": {\"size_gb\": 1, \"bus\": \"ide\"}}         | boot_volume.bus",
        "bad volume id             | {\"boot_volume\": {\"volume_id\": \"img-1\"}}                 | boot_volume.volume_id",
        "dot not a boolean         | {\"boot_volume\": {\"size_gb\": 1, \"delete_on_termination\": \"yes\"}} | boot_volume.delete_on_termination",
        "dot with an existing one  | {\"boot_volume\": {\"volume_id\": \"v-a\", \"delete_on_termination\": true}} | boot_volume.delete_on_termination",
        "volumes not a list        | {\"volumes\": \"v-a\"}                                        | volumes",
        "nine volumes              | {\"volumes\": [\"v-1\",\"v-2\",\"v-3\",\"v-4\",\"v-5\",\"v-6\",\"v-7\",\"v-8\",\"v-9\"]} | volumes",
        "entry of another shape    | {\"volumes\": [{\"size_gb\": 1}]}                             | volumes[0]",
        "entry not an id           | {\"volumes\": [42]}                                           | volumes[0]",
        "volume twice              | {\"volumes\": [\"v-a\", \"v-a\"]}                             | volumes[1]",
        "boot volume also a volume | {\"boot_volume\": {\"volume_id\": \"v-a\"}, \"volumes\": [\"v-a\"]} | volumes[0]",
    })
    void badShapesNameTheField(String why, String body, String field) throws Exception {
        List<FieldError> errors = new ArrayList<>();
        parse(body, errors);
        assertTrue(errors.stream().anyMatch(e -> e.field().equals(field)), why + ": " + errors);
    }

    @Test
    void spawnGetsTheVolumesFilesBootVolumeFirstNamingTheImage() {
        BlockDevicePlan plan = new BlockDevicePlan();
        plan.attached.add(new BlockDevicePlan.Device("v-data", 3, false, "/d/v-data/disk.qcow2", "qcow2"));
        plan.attached.add(new BlockDevicePlan.Device("v-boot", 2, true, "/d/v-boot/disk.qcow2", "qcow2"));
        SpawnRequest.Builder b = SpawnRequest.newBuilder();
        BlockDeviceDisks.addTo(b, "img-1", plan);
        SpawnRequest r = b.build();
        assertEquals(2, r.getDisksCount());
        assertEquals("v-boot", r.getDisks(0).getVolumeId());
        assertTrue(r.getDisks(0).getBoot());
        assertEquals("img-1", r.getDisks(0).getImageId());
        assertEquals("/d/v-boot/disk.qcow2", r.getDisks(0).getConnection().getPath());
        assertEquals(DiskFormat.DISK_FORMAT_QCOW2, r.getDisks(0).getConnection().getFormat());
        assertEquals(DiskBus.DISK_BUS_DEFAULT, r.getDisks(0).getConnection().getBus());
        assertEquals("v-data", r.getDisks(1).getVolumeId());
        assertEquals("", r.getDisks(1).getImageId());
        assertEquals(3, r.getDisks(1).getSizeGb());
        SpawnRequest.Builder none = SpawnRequest.newBuilder();
        BlockDeviceDisks.addTo(none, "img-1", null);
        assertEquals(0, none.getDisksCount());
    }
}
