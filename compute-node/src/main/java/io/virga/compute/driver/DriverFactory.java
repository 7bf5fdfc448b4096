package io.virga.compute.driver;

import io.virga.compute.config.ComputeConfig;
import io.virga.hypervisor.Hypervisor;
import java.nio.file.Path;

/**
 * Makes the hypervisor driver named by {@code virga.compute.driver}. One CDI
 * bean per driver; adding a driver (qemu, runc) is adding a factory.
 */
public interface DriverFactory {

    /** The value of {@code virga.compute.driver} that selects this factory, e.g. {@code sim}. */
    String name();

    /**
     * A ready driver for this host, re-adopting the guests it finds.
     *
     * @param stateDir the node's state directory; the driver keeps its files below {@code stateDir/<name>}
     * @throws RuntimeException with a readable message when the driver cannot run here (bad settings,
     *                          missing binaries); the node then does not start
     */
    Hypervisor create(ComputeConfig config, Path stateDir);
}
