package io.virga.storage.backend;

import java.nio.file.Path;

/** Lets tests of other packages write and check volume data like a guest (qemu-io at offset 0). */
public final class FileBackendTestAccess {
    private FileBackendTestAccess() {
    }

    public static void write(Path qcow2, int pattern) {
        FileBackendTest.write(qcow2, pattern, 0);
    }

    public static boolean holds(Path qcow2, int pattern) {
        return FileBackendTest.holds(qcow2, pattern, 0);
    }
}
