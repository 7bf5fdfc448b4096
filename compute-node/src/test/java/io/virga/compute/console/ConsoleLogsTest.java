package io.virga.compute.console;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.virga.hypervisor.ConsoleEndpoint;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleLogsTest {
    @TempDir
    Path dir;

    @Test
    void theTailIsTheLastBytesAndSaysWhetherThereWasMore() throws Exception {
        Path log = dir.resolve("serial.log");
        Files.writeString(log, "boot...\nVIRGA-READY instance=i-1\n");
        ConsoleLogs.Tail all = ConsoleLogs.tail(log, 0);
        assertEquals("boot...\nVIRGA-READY instance=i-1\n", new String(all.data(), StandardCharsets.UTF_8));
        assertFalse(all.truncated());
        ConsoleLogs.Tail end = ConsoleLogs.tail(log, 4);
        assertArrayEquals("i-1\n".getBytes(StandardCharsets.UTF_8), end.data());
        assertTrue(end.truncated());
    }

    @Test
    void aLogNotWrittenYetIsEmpty() throws Exception {
        ConsoleLogs.Tail none = ConsoleLogs.tail(dir.resolve("missing.log"), 10);
        assertEquals(0, none.data().length);
        assertFalse(none.truncated());
    }

    @Test
    void theSerialConsoleIsTheOneWithALogFile() {
        List<ConsoleEndpoint> consoles = List.of(new ConsoleEndpoint(ConsoleEndpoint.Type.VNC, "127.0.0.1", 5901, null),
                new ConsoleEndpoint(ConsoleEndpoint.Type.SERIAL, null, 0, "/var/x/serial.log"));
        assertEquals(Optional.of(Path.of("/var/x/serial.log")), ConsoleLogs.serialLog(consoles));
        assertEquals(Optional.empty(), ConsoleLogs.serialLog(consoles.subList(0, 1)));
    }
}
