package io.virga.compute.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.virga.compute.config.ComputeConfig;
import io.virga.hypervisor.Hypervisor;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DriversTest {
    static DriverFactory named(String name) {
        return new DriverFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Hypervisor create(ComputeConfig config, Path stateDir) {
                throw new UnsupportedOperationException();
            }
        };
    }

    @Test
    void anUnknownDriverNamesTheKnownOnes() {
        Drivers drivers = new Drivers(List.of(new SimDriverFactory(), named("fake")));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> drivers.select("qemu"));
        assertEquals("virga.compute.driver 'qemu' is not a known driver; known drivers: fake, sim", e.getMessage());
    }

    @Test
    void aKnownDriverIsSelectedByName() {
        DriverFactory sim = new SimDriverFactory();
        assertSame(sim, new Drivers(List.of(named("fake"), sim)).select("sim"));
    }
}
