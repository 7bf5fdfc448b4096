package io.virga.compute.driver;

import io.virga.compute.config.ComputeConfig;
import io.virga.hypervisor.HostCapacity;
import io.virga.hypervisor.Hypervisor;
import io.virga.hypervisor.sim.SimHypervisor;
import io.virga.hypervisor.sim.SimOptions;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.regex.PatternSyntaxException;

/** The in-memory {@code sim} driver, configured by {@code virga.compute.sim.*}; guests kept in {@code <state-dir>/sim}. */
@Singleton
public class SimDriverFactory implements DriverFactory {

    @Override
    public String name() {
        return "sim";
    }

    @Override
    public Hypervisor create(ComputeConfig config, Path stateDir) {
        ComputeConfig.Sim sim = config.sim();
        HostCapacity capacity;
        try {
            capacity = new HostCapacity(sim.vcpus(), sim.ramMb(), sim.diskGb());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("virga.compute.sim: " + e.getMessage(), e);
        }
        SimOptions.Builder options = SimOptions.builder()
                .hostName(config.hostName())
                .capacity(capacity)
                .bootLatency(sim.bootLatency())
                .stateDir(stateDir.resolve(name()));
        try {
            options.failSpawnMatching(sim.failSpawnMatching().orElse(null));
        } catch (PatternSyntaxException e) {
            throw new IllegalStateException("virga.compute.sim.fail-spawn-matching is not a regular expression: "
                    + e.getMessage(), e);
        }
        return new SimHypervisor(options.build());
    }
}
