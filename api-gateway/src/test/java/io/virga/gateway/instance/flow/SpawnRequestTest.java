package io.virga.gateway.instance.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.virga.contracts.compute.v1.Disk;
import io.virga.contracts.compute.v1.NetworkInterface;
import io.virga.contracts.compute.v1.SpawnRequest;
import io.virga.gateway.instance.FlavorSnapshot;
import io.virga.gateway.instance.Instance;
import io.virga.gateway.instance.InstanceStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the create flow asks a compute node to build: NIC addressing and the root disk. */
class SpawnRequestTest {

    private static Instance instance(String kind) {
        return new Instance("i-abc123", "prj-1", "web-1", new FlavorSnapshot("f-1", "m1", 1, 256, 2, kind, "para"),
                "img-1", List.of("n-1"), null, InstanceStatus.BUILDING, null, null, null, null, null, true, 1,
                Instant.EPOCH, Instant.EPOCH, null, List.of(), List.of());
    }

    private static CreateData data(CreateData.PortRef port) {
        CreateData d = new CreateData();
        d.bootSizeGb = 2;
        d.vnis.put("n-1", 7);
        d.ports.add(port);
        return d;
    }

    @Test
    void aNicCarriesItsSubnetsPrefixAndGateway() {
        SpawnRequest r = SpawnStep.request(instance("vm"),
                data(new CreateData.PortRef(0, "p-1", "n-1", "10.0.0.5", "fa:16:3e:00:00:01", 26, "10.0.0.1")));
        NetworkInterface nic = r.getInterfaces(0);
        assertEquals(26, nic.getPrefixLength());
        assertEquals("10.0.0.1", nic.getGateway());
        assertEquals(7, nic.getVni());
    }

    @Test
    void aPortSavedBeforePrefixesWereKnownSendsNone() {
        SpawnRequest r = SpawnStep.request(instance("vm"),
                data(new CreateData.PortRef(0, "p-1", "n-1", "10.0.0.5", "fa:16:3e:00:00:01")));
        assertEquals(0, r.getInterfaces(0).getPrefixLength());
        assertEquals("", r.getInterfaces(0).getGateway());
    }

    @Test
    void aContainerWithoutABootVolumeBootsFromItsImageOnALocalRootDisk() {
        SpawnRequest r = SpawnStep.request(instance("container"),
                data(new CreateData.PortRef(0, "p-1", "n-1", "10.0.0.5", "fa:16:3e:00:00:01", 24, null)));
        Disk root = r.getDisks(0);
        assertEquals("root-i-abc123", root.getVolumeId());
        assertEquals("img-1", root.getImageId());
        assertEquals(2, root.getSizeGb());
        assertEquals(true, root.getBoot());
    }

    @Test
    void aVmWithABootVolumeBootsFromIt() {
        CreateData d = data(new CreateData.PortRef(0, "p-1", "n-1", "10.0.0.5", "fa:16:3e:00:00:01", 24, null));
        d.bootVolume = new CreateData.VolumeRef("v-9", 2);
        assertEquals("v-9", SpawnStep.request(instance("vm"), d).getDisks(0).getVolumeId());
    }

    @ParameterizedTest(name = "{0} has prefix {1}")
    @CsvSource({"10.0.0.0/24, 24", "10.77.0.0/26, 26", "fd00::/64, 64", "10.0.0.0, 0", "10.0.0.0/x, 0"})
    void thePrefixLengthOfACidr(String cidr, int prefix) {
        assertEquals(prefix, PortsStep.prefixLength(cidr));
    }
}
