package io.virga.hypervisor.runc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image cache unpacks an image once, reads its run config, and prunes unused old images only. */
class ImageCacheTest {
    @TempDir
    Path tmp;

    @Test
    void unpacksOnceAndPrunesOnlyUnusedOldImages() throws Exception {
        assumeTrue(TestImages.runcUsable(), "busybox and root are needed");
        ImageCache cache = new ImageCache(tmp.resolve("images"));
        Path docker = OciTestImages.dockerSave(tmp);
        ImageCache.Unpacked a = cache.get(docker);
        assertEquals(java.util.List.of("/bin/sh"), a.config().entrypoint());
        assertTrue(Files.exists(a.rootfs().resolve("app/hello.sh")));
        assertFalse(Files.exists(a.rootfs().resolve("etc/doomed")), "whiteout");
        assertEquals(a, cache.get(docker), "the same image is not unpacked again");
        ImageCache.Unpacked b = cache.get(TestImages.busyboxRootfsTar());
        FileTime old = FileTime.fromMillis(System.currentTimeMillis() - 3_600_000);
        Files.setLastModifiedTime(a.rootfs().resolveSibling("image.json"), old);
        Files.setLastModifiedTime(b.rootfs().resolveSibling("image.json"), old);

        cache.prune(Set.of(b.rootfs()), 0);
        assertFalse(Files.exists(a.rootfs()), "an unused old image is pruned");
        assertTrue(Files.exists(b.rootfs()), "an image in use is kept");
        cache.prune(Set.of(), 1);
        assertTrue(Files.exists(b.rootfs()), "the newest unused image is kept");
        assertTrue(Files.exists(cache.get(docker).rootfs().resolve("app/hello.sh")), "a pruned image is unpacked again");
    }
}
