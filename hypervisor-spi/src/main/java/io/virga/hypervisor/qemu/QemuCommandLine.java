package io.virga.hypervisor.qemu;

import io.virga.hypervisor.AttachmentType;
import io.virga.hypervisor.DiskBus;
import io.virga.hypervisor.DiskConnection;
import io.virga.hypervisor.DiskFormat;
import io.virga.hypervisor.GuestSpec;
import io.virga.hypervisor.InvalidGuestSpecException;
import io.virga.hypervisor.VirtMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code qemu-system-x86_64} command line of one guest. The device model follows the guest's
 * {@link VirtMode}:
 *
 * <pre>
 * mode   | NIC            | disk (bus DEFAULT)        | CPU
 * -------+----------------+---------------------------+-----------------------------
 * full   | e1000          | AHCI (ide-hd on ahci0)    | KVM when usable, else TCG
 * para   | virtio-net-pci | virtio-blk-pci            | KVM when usable, else TCG
 * hybrid | virtio-net-pci | virtio-blk-pci            | KVM when usable, else TCG
 * </pre>
 *
 * Machine {@code pc} (i440fx: ACPI PCI hot-plug on the root bus), no default devices, no shutdown on
 * guest poweroff (the driver sees the guest's poweroff over QMP and ends the process itself), QMP,
 * serial console (ttyS0) and agent port (ttyS1) on unix sockets, the console also logged to
 * {@code serial.log}, VNC on a unix socket ({@code vnc.sock}). The process daemonizes (its own session, a pid file), so it
 * outlives the JVM that started it.
 */
final class QemuCommandLine {

    /** One disk as the guest gets it. */
    record DiskPlan(GuestSpec.Disk disk, Path path, DiskFormat format, DiskBus bus) {
        String deviceId() {
            return "vol-" + GuestFiles.shortHash(disk.volumeId());
        }

        String nodeName() {
            return "n-" + GuestFiles.shortHash(disk.volumeId());
        }
    }

    /** How the process starts: booting, or waiting for a migration stream / saved state. */
    enum Start { BOOT, INCOMING }

    private QemuCommandLine() {
    }

    /** The disks of {@code spec} (boot disk first), then {@code hotplugged}, with the files they use. */
    static List<DiskPlan> disks(GuestSpec spec, List<GuestSpec.Disk> hotplugged, GuestFiles files) {
        List<DiskPlan> plans = new ArrayList<>();
        List<GuestSpec.Disk> all = new ArrayList<>(spec.disks());
        all.sort((a, b) -> Boolean.compare(b.boot(), a.boot()));
        for (GuestSpec.Disk d : all) {
            plans.add(plan(d, spec.disks().indexOf(d), files));
        }
        for (GuestSpec.Disk d : hotplugged) {
            plans.add(plan(d, -1, files));
        }
        return plans;
    }

    static DiskPlan plan(GuestSpec.Disk d, int index, GuestFiles files) {
        DiskConnection c = d.connection();
        if (c == null) {
            throw new InvalidGuestSpecException("disks[" + Math.max(index, 0) + "].connection",
                    "is required by the qemu driver (where the disk's bytes are)");
        }
        if (c.format() == DiskFormat.TAR || c.backingFormat() == DiskFormat.TAR) {
            throw new InvalidGuestSpecException("disks[" + Math.max(index, 0) + "].connection.format",
                    "a VM disk is raw or qcow2, not a tar root filesystem");
        }
        if (c.path() != null) {
            return new DiskPlan(d, Path.of(c.path()), c.format(), c.bus());
        }
        if (index < 0) {
            throw new InvalidGuestSpecException("connection.path", "a hot-plugged disk must be an existing volume");
        }
        return new DiskPlan(d, files.localDisk(index), DiskFormat.QCOW2, c.bus());
    }

    /** The tap device name of {@code nic}: its own, or "vt" and a hash of the port id (at most 15 characters). */
    static String tapName(GuestSpec.NetworkInterface nic) {
        return nic.attachment().deviceName() != null ? nic.attachment().deviceName()
                : "vt" + GuestFiles.shortHash(nic.portId()).substring(0, 11);
    }

    static List<String> build(QemuOptions options, boolean kvm, GuestSpec spec, List<GuestSpec.Disk> hotplugged,
                              GuestFiles files, boolean userData, Start start) {
        List<String> a = new ArrayList<>();
        a.add(options.qemuBinary());
        a.addAll(List.of("-name", "guest=" + esc(spec.instanceId()) + ",process=virga-" + esc(spec.instanceId())));
        a.addAll(List.of("-machine", "pc"));
        if (kvm) {
            a.addAll(List.of("-accel", "kvm", "-cpu", "host"));
        } else {
            a.addAll(List.of("-accel", "tcg,tb-size=128"));
        }
        a.addAll(List.of("-m", spec.ramMb() + "M", "-smp", String.valueOf(spec.vcpus())));
        a.addAll(List.of("-nodefaults", "-no-user-config", "-no-shutdown"));
        a.addAll(List.of("-daemonize", "-pidfile", files.pidFile().toString()));
        a.addAll(List.of("-qmp", "unix:" + esc(files.qmpSocket().toString()) + ",server=on,wait=off"));
        a.addAll(List.of("-chardev", "socket,id=serial0,path=" + esc(files.serialSocket().toString())
                + ",server=on,wait=off,logfile=" + esc(files.serialLog().toString()) + ",logappend=on"));
        a.addAll(List.of("-serial", "chardev:serial0"));
        a.addAll(List.of("-chardev", "socket,id=agent0,path=" + esc(files.agentSocket().toString()) + ",server=on,wait=off"));
        a.addAll(List.of("-serial", "chardev:agent0"));
        a.addAll(List.of("-vga", "std", "-vnc", "unix:" + esc(files.vncSocket().toString())));

        boolean full = spec.virtMode() == VirtMode.FULL;
        List<DiskPlan> disks = disks(spec, hotplugged, files);
        boolean ahci = false;
        int ahciPort = 0;
        int idePort = 0;
        boolean scsi = false;
        for (int i = 0; i < disks.size(); i++) {
            DiskPlan d = disks.get(i);
            a.addAll(List.of("-blockdev", "driver=" + d.format().wireName() + ",node-name=" + d.nodeName()
                    + ",file.driver=file,file.filename=" + esc(d.path().toString()) + ",cache.direct=off,discard=unmap"));
            DiskBus bus = d.bus() == DiskBus.DEFAULT ? (full ? DiskBus.SATA : DiskBus.VIRTIO) : d.bus();
            String boot = i == 0 && spec.boot() == null ? ",bootindex=0" : "";
            switch (bus) {
                case VIRTIO -> a.addAll(List.of("-device", "virtio-blk-pci,drive=" + d.nodeName() + ",id=" + d.deviceId() + boot));
                case SATA -> {
                    if (!ahci) {
                        a.addAll(List.of("-device", "ahci,id=ahci0"));
                        ahci = true;
                    }
                    a.addAll(List.of("-device", "ide-hd,drive=" + d.nodeName() + ",id=" + d.deviceId()
                            + ",bus=ahci0." + ahciPort++ + boot));
                }
                case IDE -> a.addAll(List.of("-device", "ide-hd,drive=" + d.nodeName() + ",id=" + d.deviceId()
                        + ",bus=ide." + (idePort / 2) + ",unit=" + (idePort++ % 2) + boot));
                case SCSI -> {
                    if (!scsi) {
                        a.addAll(List.of("-device", "virtio-scsi-pci,id=scsi0"));
                        scsi = true;
                    }
                    a.addAll(List.of("-device", "scsi-hd,drive=" + d.nodeName() + ",id=" + d.deviceId() + ",bus=scsi0.0" + boot));
                }
                default -> throw new IllegalStateException("bus " + bus);
            }
        }

        String nicModel = full ? "e1000" : "virtio-net-pci";
        for (int i = 0; i < spec.interfaces().size(); i++) {
            GuestSpec.NetworkInterface nic = spec.interfaces().get(i);
            String netdev = "";
            if (nic.attachment().type() == AttachmentType.TAP) {
                a.addAll(List.of("-netdev", "tap,id=net" + i + ",ifname=" + tapName(nic) + ",script=no,downscript=no"));
                netdev = ",netdev=net" + i;
            } else if (nic.attachment().type() == AttachmentType.VETH) {
                throw new InvalidGuestSpecException("interfaces[" + i + "].attachment.type",
                        "a VM NIC is a tap device (or none), not a veth pair");
            }
            a.addAll(List.of("-device", nicModel + ",mac=" + nic.mac() + ",id=nic" + i + netdev));
        }

        if (spec.boot() != null) {
            a.addAll(List.of("-kernel", spec.boot().kernelPath()));
            if (spec.boot().initrdPath() != null) {
                a.addAll(List.of("-initrd", spec.boot().initrdPath()));
            }
            a.addAll(List.of("-append", kernelCmdline(spec, disks.size())));
        }
        if (userData) {
            a.addAll(List.of("-fw_cfg", "name=opt/virga/user_data,file=" + esc(files.userData().toString())));
        }
        if (start == Start.INCOMING) {
            a.addAll(List.of("-incoming", "defer"));
        }
        a.add("-S");
        return a;
    }

    /**
     * What the driver puts on the kernel command line before the boot source's own: the serial console,
     * the instance id, each NIC as {@code virga.nic<N>=<mac>[,<ip>/<prefix>[,<gateway>]]} (the subnet's prefix,
     * /24 or /64 when unknown) and the disk count (the
     * format the project's guest init reads, see docs/guests.md).
     */
    static String kernelCmdline(GuestSpec spec, int diskCount) {
        StringBuilder s = new StringBuilder("console=tty0 console=ttyS0 virga.id=").append(spec.instanceId());
        for (int i = 0; i < spec.interfaces().size(); i++) {
            GuestSpec.NetworkInterface nic = spec.interfaces().get(i);
            s.append(" virga.nic").append(i).append('=').append(nic.mac());
            if (nic.ip() != null) {
                s.append(',').append(nic.ip()).append('/').append(nic.effectivePrefix());
                if (nic.gateway() != null) {
                    s.append(',').append(nic.gateway());
                }
            }
        }
        s.append(" virga.disks=").append(diskCount);
        if (!spec.boot().cmdline().isBlank()) {
            s.append(' ').append(spec.boot().cmdline());
        }
        return s.toString();
    }

    /** QEMU option values double their commas. */
    static String esc(String value) {
        return value.replace(",", ",,");
    }
}
