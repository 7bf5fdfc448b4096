package io.virga.hypervisor.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The guest-image build (scripts/guest-image/build.sh) makes what the drivers boot. */
class GuestImageBuildTest {
    private static Path dir;

    @BeforeAll
    static void build() throws Exception {
        dir = GuestImages.ensureBuilt();
    }

    @Test
    void theManifestNamesEveryOutputWithItsSizeAndHash() throws Exception {
        JsonNode manifest = new ObjectMapper().readTree(dir.resolve("manifest.json").toFile());
        Set<String> names = new HashSet<>();
        for (JsonNode f : manifest.get("files")) {
            Path file = dir.resolve(f.get("name").asText());
            names.add(f.get("name").asText());
            assertEquals(Files.size(file), f.get("size").asLong(), file.toString());
            assertEquals(sha256(file), f.get("sha256").asText(), file.toString());
        }
        assertEquals(Set.of("vmlinuz", "initrd.img", "disk.qcow2", "rootfs.tar"), names);
        assertTrue(dir.getFileName().toString().startsWith(manifest.get("version").asText()), dir.toString());
    }

    @Test
    void theInitrdCarriesOurInitAndTheNicAndDiskModules() throws Exception {
        Set<String> entries = cpioEntries(dir.resolve("initrd.img"));
        assertTrue(entries.contains("init"), "no /init");
        assertTrue(entries.contains("etc/rc.boot") && entries.contains("sbin/virga-agent"), "no boot script or agent");
        for (String module : List.of("e1000.ko", "virtio_net.ko", "virtio_blk.ko", "virtio_pci.ko", "ahci.ko",
                "libata.ko", "sd_mod.ko", "ext4.ko", "qemu_fw_cfg.ko", "button.ko", "virtio_console.ko")) {
            assertTrue(entries.stream().anyMatch(e -> e.startsWith("lib/modules/") && e.endsWith("/" + module)),
                    "initrd lacks " + module);
        }
        assertTrue(entries.stream().anyMatch(e -> e.endsWith("/modules.dep")), "initrd lacks modules.dep");
    }

    @Test
    void theDiskIsQcow2AndTheRootfsHasAnInit() throws Exception {
        byte[] magic = new byte[4];
        try (InputStream in = Files.newInputStream(dir.resolve("disk.qcow2"))) {
            new DataInputStream(in).readFully(magic);
        }
        assertEquals("QFI\u00fb", new String(magic, StandardCharsets.ISO_8859_1));
        String tar = new String(Files.readAllBytes(dir.resolve("rootfs.tar")), StandardCharsets.ISO_8859_1);
        assertTrue(tar.contains("./sbin/init\0"), "rootfs.tar has no ./sbin/init");
        assertTrue(tar.contains("./bin/sh\0"), "rootfs.tar has no ./bin/sh");
    }

    @Test
    void aSecondBuildOfTheSameInputsIsANoOp() throws Exception {
        long before = Files.getLastModifiedTime(dir.resolve("initrd.img")).toMillis();
        assertEquals(dir, GuestImages.run(List.of()));
        assertEquals(before, Files.getLastModifiedTime(dir.resolve("initrd.img")).toMillis(), "rebuilt although up to date");
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** The entry names of a gzip'd cpio "newc" archive. */
    static Set<String> cpioEntries(Path initrd) throws IOException {
        Set<String> names = new HashSet<>();
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(Files.newInputStream(initrd), 1 << 16))) {
            while (true) {
                byte[] header = new byte[110];
                in.readFully(header);
                String h = new String(header, StandardCharsets.US_ASCII);
                if (!h.startsWith("070701")) {
                    throw new IOException("not a newc cpio header: " + h.substring(0, 6));
                }
                long fileSize = Long.parseLong(h.substring(54, 62), 16);
                int nameSize = Integer.parseInt(h.substring(94, 102), 16);
                byte[] name = new byte[nameSize];
                in.readFully(name);
                in.skipNBytes(pad(110 + nameSize));
                String n = new String(name, 0, nameSize - 1, StandardCharsets.UTF_8);
                if (n.equals("TRAILER!!!")) {
                    return names;
                }
                names.add(n.startsWith("./") ? n.substring(2) : n);
                in.skipNBytes(fileSize + pad(fileSize));
            }
        }
    }

    private static long pad(long n) {
        return (4 - n % 4) % 4;
    }
}
