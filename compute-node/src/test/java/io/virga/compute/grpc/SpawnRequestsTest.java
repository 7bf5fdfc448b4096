package io.virga.compute.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpawnRequestsTest {
    @ParameterizedTest
    @CsvSource({
            "vcpus, vcpus",
            "ramMb, ram_mb",
            "userData, user_data",
            "virtMode, virt_mode",
            "mac, mac_address",
            "ip, ip_address",
            "interfaces[1].portId, interfaces[1].port_id",
            "interfaces[0].mac, interfaces[0].mac_address",
            "disks[2].volumeId, disks[2].volume_id",
    })
    void spiFieldNamesBecomeWireFieldNames(String spi, String wire) {
        assertEquals(wire, SpawnRequests.wireField(spi));
    }
}
