package io.virga.hypervisor;

/**
 * Direct kernel boot of a VM (as OpenStack's images with {@code kernel_id} / {@code ramdisk_id}):
 * the driver boots {@code kernelPath} with {@code initrdPath} and appends {@code cmdline} to what
 * it adds itself (console, NIC addresses). Without a BootSource a VM boots from its boot disk.
 *
 * @param kernelPath absolute host path of the kernel image, required
 * @param initrdPath absolute host path of the initramfs, or {@code null}
 * @param cmdline    extra kernel command line, {@code ""} when none
 */
public record BootSource(String kernelPath, String initrdPath, String cmdline) {
    public BootSource {
        if (kernelPath == null || !kernelPath.startsWith("/")) {
            throw new InvalidGuestSpecException("boot.kernelPath", "must be an absolute path, got '" + kernelPath + "'");
        }
        initrdPath = initrdPath == null || initrdPath.isBlank() ? null : initrdPath;
        if (initrdPath != null && !initrdPath.startsWith("/")) {
            throw new InvalidGuestSpecException("boot.initrdPath", "must be an absolute path, got '" + initrdPath + "'");
        }
        cmdline = cmdline == null ? "" : cmdline;
        if (cmdline.length() > 2048) {
            throw new InvalidGuestSpecException("boot.cmdline", "must be at most 2048 characters");
        }
    }
}
