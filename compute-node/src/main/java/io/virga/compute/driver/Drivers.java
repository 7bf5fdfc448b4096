package io.virga.compute.driver;

import io.quarkus.arc.All;
import io.virga.compute.config.ComputeConfig;
import io.virga.compute.config.NodeSettings;
import io.virga.hypervisor.Hypervisor;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.stream.Collectors;

/** Produces the node's one {@link Hypervisor}, chosen by {@code virga.compute.driver} among the {@link DriverFactory} beans. */
@Singleton
public class Drivers {
    private final List<DriverFactory> factories;

    public Drivers(@All List<DriverFactory> factories) {
        this.factories = factories;
    }

    @Produces
    @Singleton
    Hypervisor hypervisor(ComputeConfig config) {
        NodeSettings.validate(config);
        return select(config.driver()).create(config, NodeSettings.stateDir(config));
    }

    /**
     * The factory named {@code driver}.
     *
     * @throws IllegalStateException listing the known drivers when there is none
     */
    public DriverFactory select(String driver) {
        return factories.stream()
                .filter(f -> f.name().equals(driver))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("virga.compute.driver '" + driver
                        + "' is not a known driver; known drivers: " + known()));
    }

    /** The names of the drivers this build has, sorted, comma separated. */
    public String known() {
        return factories.stream().map(DriverFactory::name).sorted().collect(Collectors.joining(", "));
    }
}
