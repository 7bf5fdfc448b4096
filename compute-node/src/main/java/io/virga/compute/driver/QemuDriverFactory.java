package io.virga.compute.driver;

import io.virga.compute.config.ComputeConfig;
import io.virga.hypervisor.Hypervisor;
import io.virga.hypervisor.qemu.QemuHypervisor;
import io.virga.hypervisor.qemu.QemuOptions;
import jakarta.inject.Singleton;
import java.nio.file.Path;

/**
 * The {@code qemu} driver: one {@code qemu-system-x86_64} per VM over QMP, KVM where {@code /dev/kvm} is
 * usable, else TCG; guests kept in {@code <state-dir>/qemu} and adopted again after a restart. Capacity
 * from {@code virga.compute.capacity.*} or the host ({@link HostResources}).
 */
@Singleton
public class QemuDriverFactory implements DriverFactory {

    @Override
    public String name() {
        return "qemu";
    }

    @Override
    public Hypervisor create(ComputeConfig config, Path stateDir) {
        Path dir = stateDir.resolve(name()).toAbsolutePath();
        return new QemuHypervisor(QemuOptions.of(config.hostName(), dir, HostResources.capacity(config, dir)));
    }
}
