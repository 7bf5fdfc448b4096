package io.virga.hypervisor.sim;

import io.virga.hypervisor.GuestSpec;
import io.virga.hypervisor.HypervisorException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * What the sim writes where a real driver writes disk bytes (a snapshot, a cold migration's export).
 * The sim has no disks, so it writes a deterministic text describing the guest's boot disk: the same
 * guest always gives the same bytes. It is not an image any real driver can boot, and is written as
 * {@link io.virga.hypervisor.DiskFormat#RAW} to say so. Its first line is {@link #MAGIC}.
 *
 * <pre>
 * VIRGA-SIM-DISK 1
 * instance i-abc
 * kind vm
 * virt_mode para
 * image img-123        (or "-" when the guest has no boot disk image)
 * size_gb 10           (the boot disk's size, or the guest's local disk)
 * </pre>
 */
final class SimDiskImage {
    static final String MAGIC = "VIRGA-SIM-DISK 1";
    private static final int MAX_BYTES = 64 * 1024;

    private SimDiskImage() {
    }

    static byte[] describe(GuestSpec spec) {
        var boot = spec.bootDisk();
        String text = MAGIC + "\n"
                + "instance " + spec.instanceId() + "\n"
                + "kind " + spec.kind().wireName() + "\n"
                + "virt_mode " + spec.virtMode().wireName() + "\n"
                + "image " + boot.map(GuestSpec.Disk::imageId).filter(i -> i != null).orElse("-") + "\n"
                + "size_gb " + boot.map(GuestSpec.Disk::sizeGb).orElse(spec.diskGb()) + "\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads what {@link #describe} wrote for {@code instanceId}, checking it is a sim disk of that guest.
     *
     * @return the number of bytes read
     * @throws HypervisorException when the bytes are not a sim disk of that guest, or cannot be read
     */
    static long verify(String instanceId, InputStream in) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        try {
            int n;
            while ((n = in.read(chunk)) >= 0) {
                if (buf.size() + n > MAX_BYTES) {
                    throw new HypervisorException("a sim disk is at most " + MAX_BYTES + " bytes; this one is larger");
                }
                buf.write(chunk, 0, n);
            }
        } catch (IOException e) {
            throw new HypervisorException("cannot read the disk of guest " + instanceId + ": " + e.getMessage(), e);
        }
        String text = buf.toString(StandardCharsets.UTF_8);
        if (!text.startsWith(MAGIC + "\n")) {
            throw new HypervisorException("the disk given for guest " + instanceId + " is not a sim disk (no "
                    + MAGIC + " header)");
        }
        if (!text.contains("\ninstance " + instanceId + "\n")) {
            throw new HypervisorException("the disk given for guest " + instanceId + " is another guest's");
        }
        return buf.size();
    }
}
