package io.virga.compute.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.virga.hypervisor.GuestSpec;
import io.virga.hypervisor.HostCapacity;
import io.virga.hypervisor.sim.SimHypervisor;
import io.virga.hypervisor.sim.SimOptions;
import io.virga.platform.ids.Ids;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A fresh state directory for the node under test, holding one sim guest that
 * "kept running" from a previous life of the node (the survivor): the node must
 * re-adopt it and re-report its power state at start. Its id is in config
 * {@code virga.test.survivor-id}.
 */
public class TempStateDirResource implements QuarkusTestResourceLifecycleManager {
    private Path dir;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("virga-compute-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String survivor = Ids.newId("i");
        new SimHypervisor(SimOptions.builder().capacity(new HostCapacity(4, 4096, 40)).stateDir(dir.resolve("sim")).build())
                .spawn(GuestSpec.builder(survivor).name("survivor").vcpus(1).ramMb(64).build());
        return Map.of("virga.compute.state-dir", dir.toString(), "virga.test.survivor-id", survivor);
    }

    @Override
    public void stop() {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
