package io.virga.hypervisor.runc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.virga.hypervisor.HypervisorException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes a container's root filesystem from a TAR backing file, which is one of:
 * <ul>
 *   <li>a plain root filesystem tarball (the project's busybox {@code rootfs.tar}, or a snapshot);</li>
 *   <li>a {@code docker save} / {@code podman save} tarball ({@code manifest.json} + layer tars + config);</li>
 *   <li>an OCI image layout tarball ({@code oci-layout}, {@code index.json}, {@code blobs/sha256/…}).</li>
 * </ul>
 * Image layers are applied in order, honouring whiteouts ({@code .wh.<name>} deletes a lower file,
 * {@code .wh..wh..opq} empties a lower directory); gzip layers are read as they are. Extraction is done by
 * GNU tar with numeric owners; a layer member whose parent path goes through an absolute symlink, or a
 * relative one leaving the root filesystem, is refused (it would write outside the container).
 */
final class RootfsUnpacker {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration BUDGET = Duration.ofMinutes(10);
    private static final String WHITEOUT = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";

    private RootfsUnpacker() {
    }

    /**
     * Unpacks {@code tarFile} into {@code rootfs} (which must not exist) using {@code scratch} (which must not
     * exist; removed afterwards) and returns the image's run config ({@link ImageConfig#NONE} for a plain rootfs).
     * On failure both directories are removed.
     */
    static ImageConfig unpack(Path tarFile, Path rootfs, Path scratch) {
        if (!Files.isRegularFile(tarFile)) {
            throw new HypervisorException("image " + tarFile + " is not a readable file");
        }
        try {
            Files.createDirectories(scratch);
            Files.createDirectories(rootfs.getParent());
            tar("unpacking image " + tarFile, "-xpf", tarFile.toString(), "-C", scratch.toString(), "--numeric-owner");
            ImageConfig config;
            if (Files.isRegularFile(scratch.resolve("manifest.json"))) {
                config = unpackDockerSave(scratch, rootfs);
            } else if (Files.isRegularFile(scratch.resolve("oci-layout")) && Files.isRegularFile(scratch.resolve("index.json"))) {
                config = unpackOciLayout(scratch, rootfs);
            } else {
                Files.move(scratch, rootfs);
                config = ImageConfig.NONE;
            }
            return config;
        } catch (IOException | RuntimeException e) {
            Files2.deleteTree(rootfs);
            throw e instanceof HypervisorException he ? he
                    : new HypervisorException("cannot unpack image " + tarFile + ": " + e.getMessage(), e);
        } finally {
            Files2.deleteTree(scratch);
        }
    }

    private static ImageConfig unpackDockerSave(Path dir, Path rootfs) throws IOException {
        JsonNode manifest = JSON.readTree(dir.resolve("manifest.json").toFile());
        if (!manifest.isArray() || manifest.isEmpty()) {
            throw new HypervisorException("manifest.json of the image holds no image");
        }
        JsonNode image = manifest.get(0);
        List<Path> layers = new ArrayList<>();
        for (JsonNode layer : image.path("Layers")) {
            layers.add(inside(dir, layer.asText()));
        }
        ImageConfig config = ImageConfig.fromImageConfigDocument(JSON.readTree(inside(dir, image.path("Config").asText()).toFile()));
        applyLayers(layers, rootfs);
        return config;
    }

    private static ImageConfig unpackOciLayout(Path dir, Path rootfs) throws IOException {
        JsonNode node = JSON.readTree(dir.resolve("index.json").toFile());
        // an index may point at a nested index (multi-platform); follow it to one image manifest
        for (int depth = 0; depth < 4 && node.has("manifests"); depth++) {
            JsonNode chosen = null;
            for (JsonNode m : node.path("manifests")) {
                JsonNode platform = m.path("platform");
                boolean fits = platform.isMissingNode()
                        || ("linux".equals(platform.path("os").asText()) && "amd64".equals(platform.path("architecture").asText()));
                if (fits) {
                    chosen = m;
                    break;
                }
            }
            if (chosen == null) {
                throw new HypervisorException("the OCI index has no linux/amd64 image");
            }
            node = JSON.readTree(blob(dir, chosen.path("digest").asText()).toFile());
        }
        List<Path> layers = new ArrayList<>();
        for (JsonNode layer : node.path("layers")) {
            layers.add(blob(dir, layer.path("digest").asText()));
        }
        ImageConfig config = ImageConfig.fromImageConfigDocument(
                JSON.readTree(blob(dir, node.path("config").path("digest").asText()).toFile()));
        applyLayers(layers, rootfs);
        return config;
    }

    private static Path blob(Path dir, String digest) {
        int colon = digest.indexOf(':');
        if (colon <= 0 || !digest.substring(colon + 1).matches("[0-9a-f]{32,128}")) {
            throw new HypervisorException("bad digest in the OCI image: '" + digest + "'");
        }
        return inside(dir, "blobs/" + digest.substring(0, colon) + "/" + digest.substring(colon + 1));
    }

    /** {@code relative} under {@code dir}, refusing names that leave it; the file must exist. */
    private static Path inside(Path dir, String relative) {
        Path p = dir.resolve(relative).normalize();
        if (relative.isEmpty() || !p.startsWith(dir) || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new HypervisorException("the image names a missing file '" + relative + "'");
        }
        return p;
    }

    private static void applyLayers(List<Path> layers, Path rootfs) throws IOException {
        Files.createDirectories(rootfs);
        for (Path layer : layers) {
            String listing = tar("listing layer " + layer.getFileName(), "-tf", layer.toString(), "--quoting-style=literal");
            for (String line : listing.split("\n")) {
                String name = normalize(line);
                if (name.isEmpty()) {
                    continue;
                }
                int slash = name.lastIndexOf('/');
                String parent = slash < 0 ? "" : name.substring(0, slash);
                String base = name.substring(slash + 1);
                requireNoEscape(rootfs, parent, name);
                if (base.equals(OPAQUE)) {
                    Path d = rootfs.resolve(parent);
                    if (Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
                        try (var children = Files.list(d)) {
                            for (Path child : children.toList()) {
                                Files2.deleteTree(child);
                            }
                        }
                    }
                } else if (base.startsWith(WHITEOUT)) {
                    Files2.deleteTree(rootfs.resolve(parent).resolve(base.substring(WHITEOUT.length())));
                }
            }
            tar("unpacking layer " + layer.getFileName(), "-xpf", layer.toString(), "-C", rootfs.toString(),
                    "--numeric-owner", "--exclude=" + WHITEOUT + "*");
        }
    }

    private static String normalize(String member) {
        String n = member;
        while (n.startsWith("./")) {
            n = n.substring(2);
        }
        while (n.startsWith("/")) {
            n = n.substring(1);
        }
        while (n.endsWith("/")) {
            n = n.substring(0, n.length() - 1);
        }
        return n.equals(".") ? "" : n;
    }

    /** Refuses {@code parent} when walking it inside {@code rootfs} meets a symlink that leaves the rootfs. */
    private static void requireNoEscape(Path rootfs, String parent, String member) throws IOException {
        if (parent.isEmpty()) {
            return;
        }
        Path at = rootfs;
        for (String part : parent.split("/")) {
            if (part.equals("..")) {
                throw new HypervisorException("image layer member '" + member + "' climbs out of the root filesystem");
            }
            Path next = at.resolve(part);
            if (Files.isSymbolicLink(next)) {
                Path target = Files.readSymbolicLink(next);
                Path resolved = at.resolve(target).normalize();
                if (target.isAbsolute() || !resolved.startsWith(rootfs)) {
                    throw new HypervisorException("image layer member '" + member + "' would be written through the "
                            + "symlink " + rootfs.relativize(next) + " -> " + target + ", outside the root filesystem");
                }
                next = resolved;
            }
            at = next;
        }
    }

    private static String tar(String what, String... args) {
        List<String> argv = new ArrayList<>();
        argv.add("tar");
        argv.addAll(List.of(args));
        return Proc.check(BUDGET, what, argv);
    }
}
