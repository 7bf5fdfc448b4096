package io.virga.hypervisor;

/**
 * Where a disk's bytes are and how the guest sees them (the data-plane contract of a disk).
 *
 * <p>Two shapes:
 * <ul>
 *   <li>{@code path} set: the disk already exists at that host path (a storage volume); the driver uses
 *   it as it is and never deletes it.</li>
 *   <li>{@code path} null and {@code backingPath} set: the driver makes a local disk in its own state
 *   directory, a {@link DiskFormat#QCOW2} overlay of the disk's size on {@code backingPath} (or, for a
 *   container, a root filesystem unpacked from a {@link DiskFormat#TAR} backing file), and removes it
 *   when the guest is destroyed.</li>
 * </ul>
 *
 * @param path          absolute host path of an existing disk, or {@code null}
 * @param format        format of {@code path}, or of the local disk the driver makes; required
 * @param backingPath   absolute host path of the image the disk is made from, or {@code null}
 * @param backingFormat format of {@code backingPath}; required when {@code backingPath} is set
 * @param bus           how the guest sees it; {@link DiskBus#DEFAULT} when null
 */
public record DiskConnection(String path, DiskFormat format, String backingPath, DiskFormat backingFormat,
                             DiskBus bus) {
    public DiskConnection {
        path = blankToNull(path);
        backingPath = blankToNull(backingPath);
        if (path == null && backingPath == null) {
            throw new InvalidGuestSpecException("connection", "needs a path or a backingPath");
        }
        if (path != null && !path.startsWith("/")) {
            throw new InvalidGuestSpecException("connection.path", "must be absolute, got '" + path + "'");
        }
        if (backingPath != null && !backingPath.startsWith("/")) {
            throw new InvalidGuestSpecException("connection.backingPath", "must be absolute, got '" + backingPath + "'");
        }
        if (format == null) {
            throw new InvalidGuestSpecException("connection.format", "is required");
        }
        if (backingPath != null && backingFormat == null) {
            throw new InvalidGuestSpecException("connection.backingFormat", "is required with a backingPath");
        }
        bus = bus == null ? DiskBus.DEFAULT : bus;
    }

    /** A local disk the driver makes as an overlay on (or unpack of) {@code image}. */
    public static DiskConnection overlayOn(String image, DiskFormat imageFormat) {
        DiskFormat local = imageFormat == DiskFormat.TAR ? DiskFormat.TAR : DiskFormat.QCOW2;
        return new DiskConnection(null, local, image, imageFormat, DiskBus.DEFAULT);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
