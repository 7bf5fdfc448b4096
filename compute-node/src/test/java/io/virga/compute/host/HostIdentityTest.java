package io.virga.compute.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.virga.platform.ids.Ids;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostIdentityTest {
    @TempDir
    Path dir;

    @Test
    void theHostIdIsMadeOnceAndKeptAcrossRestartsAndRenames() {
        HostIdentity first = HostIdentity.loadOrCreate(dir.resolve("state"), "host-1");
        assertTrue(Ids.looksLike("h", first.hostId()), first.hostId());
        assertEquals(first, HostIdentity.loadOrCreate(dir.resolve("state"), "host-1"));
        HostIdentity renamed = HostIdentity.loadOrCreate(dir.resolve("state"), "rack2-host-1");
        assertEquals(first.hostId(), renamed.hostId());
        assertEquals("rack2-host-1", renamed.hostName());
        assertEquals(renamed, HostIdentity.loadOrCreate(dir.resolve("state"), "rack2-host-1"));
    }

    @Test
    void aDamagedIdentityFileStopsTheNodeInsteadOfMakingANewHost() throws IOException {
        Files.writeString(dir.resolve("host.json"), "{\"host_id\": \"nonsense\"}");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> HostIdentity.loadOrCreate(dir, "host-1"));
        assertTrue(e.getMessage().contains("host.json holds no valid host_id"), e.getMessage());
        Files.writeString(dir.resolve("host.json"), "{ not json");
        assertThrows(IllegalStateException.class, () -> HostIdentity.loadOrCreate(dir, "host-1"));
    }
}
