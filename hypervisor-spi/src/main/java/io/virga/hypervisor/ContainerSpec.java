package io.virga.hypervisor;

import java.util.List;
import java.util.Map;

/**
 * What a container guest ({@link GuestKind#CONTAINER}) runs. Its root filesystem is its boot disk
 * (a {@link DiskFormat#TAR} rootfs or OCI image tarball, see {@link DiskConnection}).
 *
 * @param mode    app or system
 * @param command the process to run (argv); empty: the image's own entrypoint/cmd, or {@code /sbin/init}
 *                in system mode
 * @param env     extra environment variables
 */
public record ContainerSpec(ContainerMode mode, List<String> command, Map<String, String> env) {
    public ContainerSpec {
        if (mode == null) {
            throw new InvalidGuestSpecException("container.mode", "is required (app, system)");
        }
        command = List.copyOf(command == null ? List.of() : command);
        env = Map.copyOf(env == null ? Map.of() : env);
    }
}
