package io.virga.hypervisor;

import java.util.Locale;

/** The on-disk format of a guest disk or of the image it is made from. */
public enum DiskFormat {
    /** A plain byte-for-byte disk image. */
    RAW,
    /** A QEMU copy-on-write image; may have a backing file. */
    QCOW2,
    /** A root filesystem as a tar archive (a container's rootfs, or an OCI image tarball). */
    TAR;

    /** The lower-case wire name, e.g. {@code qcow2}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
