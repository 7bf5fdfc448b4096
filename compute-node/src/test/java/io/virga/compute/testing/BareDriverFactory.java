package io.virga.compute.testing;

import io.virga.compute.config.ComputeConfig;
import io.virga.compute.driver.DriverFactory;
import io.virga.compute.driver.SimDriverFactory;
import io.virga.hypervisor.GuestSpec;
import io.virga.hypervisor.GuestStatus;
import io.virga.hypervisor.HostCapacity;
import io.virga.hypervisor.Hypervisor;
import io.virga.hypervisor.Traits;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Driver {@code bare-sim} (tests only): the sim with none of its optional capabilities, as a driver
 * that can only spawn and destroy, to prove what the node answers for a capability a host lacks.
 */
@Singleton
public class BareDriverFactory implements DriverFactory {
    @Override
    public String name() {
        return "bare-sim";
    }

    @Override
    public Hypervisor create(ComputeConfig config, Path stateDir) {
        return new Bare(new SimDriverFactory().create(config, stateDir));
    }

    static final class Bare implements Hypervisor {
        private final Hypervisor sim;
        private final Set<String> traits;

        Bare(Hypervisor sim) {
            this.sim = sim;
            Set<String> t = new TreeSet<>(sim.traits());
            t.removeAll(Traits.capabilities(sim));
            this.traits = Set.copyOf(t);
        }

        @Override
        public String type() {
            return "sim";
        }

        @Override
        public HostCapacity capacity() {
            return sim.capacity();
        }

        @Override
        public Set<String> traits() {
            return traits;
        }

        @Override
        public GuestStatus spawn(GuestSpec spec) {
            return sim.spawn(spec);
        }

        @Override
        public boolean destroy(String instanceId) {
            return sim.destroy(instanceId);
        }

        @Override
        public Optional<GuestStatus> status(String instanceId) {
            return sim.status(instanceId);
        }

        @Override
        public List<GuestStatus> list() {
            return sim.list();
        }
    }
}
