package io.virga.hypervisor.runc;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.virga.hypervisor.ContainerMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Not a test: a measurement, run only with {@code -Dvirga.bench=true}. The driver's spawn → RUNNING of a busybox
 * system container (unpacking rootfs.tar included) against a bare {@code runc run -d} of the same bundle
 * ({@code bench/runc_bare_start.sh}); prints one line {@code runc_driver_spawn_s=… runc_bare_start_s=… ratio=…}.
 */
class RuncStartBench extends RuncFixture {

    @Test
    void spawnAgainstBareRuncRun() throws Exception {
        assumeTrue(Boolean.getBoolean("virga.bench"), "a measurement; run with -Dvirga.bench=true");
        int runs = Integer.getInteger("virga.bench.runs", 10);
        Path state = tmp.resolve("s");
        RuncHypervisor d = driver(state);
        d.spawn(busybox(newId("warm"), ContainerMode.SYSTEM).build());
        List<Double> spawn = new ArrayList<>();
        String keep = null;
        for (int i = 0; i < runs; i++) {
            String id = newId("bench");
            long t0 = System.nanoTime();
            d.spawn(busybox(id, ContainerMode.SYSTEM).build());
            spawn.add((System.nanoTime() - t0) / 1e9);
            if (keep == null) {
                keep = id;
            } else {
                d.destroy(id);
            }
        }
        Path script = Path.of("..", "bench", "runc_bare_start.sh").toAbsolutePath().normalize();
        Proc.Result bare = Proc.run(Duration.ofMinutes(5),
                List.of("bash", script.toString(), guestDir(state, keep).resolve("bundle").toString(), String.valueOf(runs)));
        if (!bare.ok() || !Files.exists(script)) {
            throw new IllegalStateException("bare run failed: " + bare.output());
        }
        String last = bare.output().lines().reduce((a, b) -> b).orElse("");
        double bareS = Double.parseDouble(last.substring(last.indexOf('=') + 1));
        double spawnS = median(spawn);
        System.out.printf("runc_driver_spawn_s=%.3f %s ratio=%.2f (median of %d; spawn min %.3f max %.3f)%n",
                spawnS, last, spawnS / bareS, runs, Collections.min(spawn), Collections.max(spawn));
    }

    private static double median(List<Double> values) {
        List<Double> v = new ArrayList<>(values);
        Collections.sort(v);
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }
}
