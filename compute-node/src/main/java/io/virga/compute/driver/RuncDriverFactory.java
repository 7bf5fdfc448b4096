package io.virga.compute.driver;

import io.virga.compute.config.ComputeConfig;
import io.virga.hypervisor.Hypervisor;
import io.virga.hypervisor.runc.RuncHypervisor;
import io.virga.hypervisor.runc.RuncOptions;
import jakarta.inject.Singleton;
import java.nio.file.Path;

/**
 * The {@code runc} driver: containers through the OCI runtime {@code runc}, guests kept in
 * {@code <state-dir>/runc} and adopted again after a restart. Capacity from
 * {@code virga.compute.capacity.*} or the host ({@link HostResources}).
 */
@Singleton
public class RuncDriverFactory implements DriverFactory {

    @Override
    public String name() {
        return "runc";
    }

    @Override
    public Hypervisor create(ComputeConfig config, Path stateDir) {
        Path dir = stateDir.resolve(name()).toAbsolutePath();
        try {
            return new RuncHypervisor(RuncOptions.builder()
                    .hostName(config.hostName())
                    .capacity(HostResources.capacity(config, dir))
                    .stateDir(dir)
                    .build());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("runc driver: " + e.getMessage(), e);
        }
    }
}
