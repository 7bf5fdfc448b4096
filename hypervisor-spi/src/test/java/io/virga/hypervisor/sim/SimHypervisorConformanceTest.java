package io.virga.hypervisor.sim;

import io.virga.hypervisor.HostCapacity;
import io.virga.hypervisor.Hypervisor;
import io.virga.hypervisor.HypervisorConformanceTest;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;

/** The sim passes the driver conformance suite, with boot latency and persistence switched on. */
class SimHypervisorConformanceTest extends HypervisorConformanceTest {
    @TempDir
    Path stateDir;

    @Override
    protected Hypervisor createHypervisor() {
        return new SimHypervisor(SimOptions.builder()
                .capacity(new HostCapacity(4, 1024, 10))
                .bootLatency(Duration.ofMillis(5))
                .stateDir(stateDir)
                .build());
    }

    /** A second sim host (in memory) to migrate to. */
    @Override
    protected Hypervisor createPeerHypervisor() {
        return new SimHypervisor(SimOptions.builder()
                .hostName("host-2")
                .capacity(new HostCapacity(4, 1024, 10))
                .bootLatency(Duration.ofMillis(5))
                .build());
    }
}
