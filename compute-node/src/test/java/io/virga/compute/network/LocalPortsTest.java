package io.virga.compute.network;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a node plugged survives its restart (the file), and goes with its instance. */
class LocalPortsTest {
    @Test
    void plugsSurviveARestartAndGoWithTheirInstance(@TempDir Path dir) {
        Path file = dir.resolve("network").resolve("ports");
        LocalPorts before = new LocalPorts(file);
        before.put(new LocalPorts.Entry("i-1", "p-1", 7, "vn-t1"));
        before.put(new LocalPorts.Entry("i-1", "p-2", 8, "vn-t2"));
        before.put(new LocalPorts.Entry("i-2", "p-3", 7, "vn-t3"));
        LocalPorts after = new LocalPorts(file);
        assertEquals(Set.of("p-1", "p-2", "p-3"), ids(after));
        assertEquals(List.of("p-3"), after.removeInstance("i-2").stream().map(LocalPorts.Entry::portId).toList());
        assertEquals(Set.of("p-1", "p-2"), ids(new LocalPorts(file)));
        assertEquals(List.of(), after.removeInstance("i-2"));
    }

    private static Set<String> ids(LocalPorts p) {
        return p.all().stream().map(LocalPorts.Entry::portId).collect(Collectors.toSet());
    }
}
