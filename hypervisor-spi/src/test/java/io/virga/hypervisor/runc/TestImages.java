package io.virga.hypervisor.runc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test images made here from the host's static busybox: a plain busybox rootfs tarball (made once per JVM),
 * and the list of busybox applets for image layers. No registry is reachable, so images are built locally.
 */
final class TestImages {
    /** The test init: says it is ready, runs until SIGTERM, then exits 0. */
    static final String INIT = """
            #!/bin/sh
            trap 'echo "virga-test-init: stopping"; exit 0' TERM
            echo "virga-test-init: ready"
            while true; do sleep 1 & wait $!; done
            """;
    private static Path rootfsTar;
    private static Path projectTar;
    private static List<String> applets;

    private TestImages() {
    }

    static boolean runcUsable() {
        return new java.io.File("/proc/self").exists() && onPath("runc") && onPath("busybox")
                && "root".equals(System.getProperty("user.name"));
    }

    static Path busybox() {
        for (String dir : System.getenv("PATH").split(":")) {
            Path p = Path.of(dir, "busybox");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new IllegalStateException("busybox is not on the PATH");
    }

    private static boolean onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, name))) {
                return true;
            }
        }
        return false;
    }

    /** busybox's applet names (sh, sleep, ping, …). */
    static synchronized List<String> applets() {
        if (applets == null) {
            try {
                Process p = new ProcessBuilder(busybox().toString(), "--list").redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                p.waitFor(30, TimeUnit.SECONDS);
                List<String> names = new ArrayList<>();
                for (String line : out.split("\n")) {
                    if (line.matches("[a-z0-9_.\\[-]+") && !line.equals("busybox")) {
                        names.add(line);
                    }
                }
                applets = List.copyOf(names);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        return applets;
    }

    /**
     * The project's container image: {@code rootfs.tar} from {@code scripts/guest-image/build.sh} when a build
     * is in the cache, else the same userland made here with the repo's {@code scripts/guest-image/container/init}.
     */
    static synchronized Path projectRootfsTar() throws Exception {
        if (projectTar == null) {
            Path cache = Path.of(System.getenv().getOrDefault("VIRGA_CACHE",
                    System.getProperty("user.home") + "/.cache/virga"), "guest-images");
            if (Files.isDirectory(cache)) {
                try (var builds = Files.list(cache)) {
                    projectTar = builds.map(b -> b.resolve("rootfs.tar")).filter(Files::isRegularFile).findFirst()
                            .orElse(null);
                }
            }
            if (projectTar == null) {
                Path init = Path.of("..", "scripts", "guest-image", "container", "init").toAbsolutePath().normalize();
                projectTar = build(Files.readString(init), "virga-runc-project-rootfs");
            }
        }
        return projectTar;
    }

    /** A busybox root filesystem tarball with {@link #INIT} as /sbin/init (made once, removed at exit). */
    static synchronized Path busyboxRootfsTar() throws Exception {
        if (rootfsTar == null) {
            rootfsTar = build(INIT, "virga-runc-rootfs");
        }
        return rootfsTar;
    }

    private static Path build(String initScript, String prefix) throws Exception {
        {
            Path dir = Files.createTempDirectory(prefix);
            Path root = dir.resolve("root");
            for (String d : List.of("bin", "sbin", "etc", "proc", "sys", "dev", "tmp", "run", "var/lib", "root")) {
                Files.createDirectories(root.resolve(d));
            }
            Files.copy(busybox(), root.resolve("bin/busybox"));
            for (String applet : applets()) {
                Path link = root.resolve("bin").resolve(applet);
                if (!Files.exists(link)) {
                    Files.createSymbolicLink(link, Path.of("busybox"));
                }
            }
            Path init = root.resolve("sbin/init");
            Files.writeString(init, initScript);
            Files.setPosixFilePermissions(init, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
            Files.writeString(root.resolve("etc/group"), "root:x:0:\n");
            Path tar = dir.resolve("rootfs.tar");
            Process p = new ProcessBuilder("tar", "-cf", tar.toString(), "-C", root.toString(), "--numeric-owner", ".")
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("tar of the test rootfs failed");
            }
            Files2.deleteTree(root);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> Files2.deleteTree(dir)));
            return tar;
        }
    }

    /** The bytes of a file, for image layers. */
    static byte[] busyboxBytes() throws IOException {
        return Files.readAllBytes(busybox());
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static ByteArrayOutputStream buffer() {
        return new ByteArrayOutputStream();
    }
}
