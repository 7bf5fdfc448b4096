package io.virga.hypervisor.runc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;

/**
 * Docker-save and OCI-layout image tarballs built here byte by byte: layer 1 is busybox plus files that
 * layer 2 removes (a {@code .wh.} whiteout of /etc/doomed and an opaque whiteout of /opt), layer 2 adds
 * /opt/new and /app/hello.sh. The image config sets Entrypoint ["/bin/sh"], Cmd ["/app/hello.sh"],
 * Env GREETING=hello-from-image and WorkingDir /app; hello.sh prints what the test checks.
 */
final class OciTestImages {
    static final String HELLO = """
            #!/bin/sh
            echo "greeting=$GREETING pwd=$(pwd)"
            [ -e /etc/doomed ] && echo "whiteout=missed" || echo "whiteout=honoured"
            echo "opt=$(ls /opt | tr '\\n' ' ')"
            """;
    private static final ObjectMapper JSON = new ObjectMapper();

    private OciTestImages() {
    }

    static byte[] layer1() throws IOException {
        TarWriter t = new TarWriter().dir("bin").dir("etc").dir("opt").dir("opt/old").dir("tmp").dir("proc")
                .dir("sys").dir("dev");
        t.file("bin/busybox", 0755, TestImages.busyboxBytes());
        for (String applet : TestImages.applets()) {
            t.symlink("bin/" + applet, "busybox");
        }
        t.file("etc/doomed", "remove me\n").file("etc/kept", "keep me\n").file("opt/old/file", "old\n");
        return t.bytes();
    }

    static byte[] layer2() {
        return new TarWriter().dir("etc").file("etc/.wh.doomed", "").dir("opt").file("opt/.wh..wh..opq", "")
                .file("opt/new", "new\n").dir("app").file("app/hello.sh", 0755, TestImages.utf8(HELLO)).bytes();
    }

    static byte[] config() throws IOException {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("architecture", "amd64").put("os", "linux");
        ObjectNode c = doc.putObject("config");
        c.putArray("Entrypoint").add("/bin/sh");
        c.putArray("Cmd").add("/app/hello.sh");
        c.putArray("Env").add("PATH=/bin").add("GREETING=hello-from-image");
        c.put("WorkingDir", "/app");
        doc.putObject("rootfs").put("type", "layers").putArray("diff_ids");
        return JSON.writeValueAsBytes(doc);
    }

    /** A tarball as {@code docker save} writes it. */
    static Path dockerSave(Path dir) throws IOException {
        byte[] config = config();
        String configName = sha(config) + ".json";
        ArrayNode manifest = JSON.createArrayNode();
        ObjectNode image = manifest.addObject();
        image.put("Config", configName);
        image.putArray("RepoTags").add("virga/test:latest");
        image.putArray("Layers").add("aaa/layer.tar").add("bbb/layer.tar");
        byte[] tar = new TarWriter().dir("aaa").file("aaa/layer.tar", 0644, layer1()).dir("bbb")
                .file("bbb/layer.tar", 0644, layer2()).file(configName, 0644, config)
                .file("manifest.json", 0644, JSON.writeValueAsBytes(manifest)).bytes();
        Path file = dir.resolve("docker-save.tar");
        Files.write(file, tar);
        return file;
    }

    /** A tarball in OCI image layout, the first layer gzip-compressed. */
    static Path ociLayout(Path dir) throws IOException {
        byte[] l1 = gzip(layer1());
        byte[] l2 = layer2();
        byte[] config = config();
        ObjectNode m = JSON.createObjectNode();
        m.put("schemaVersion", 2).put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        descriptor(m.putObject("config"), "application/vnd.oci.image.config.v1+json", config);
        ArrayNode layers = m.putArray("layers");
        descriptor(layers.addObject(), "application/vnd.oci.image.layer.v1.tar+gzip", l1);
        descriptor(layers.addObject(), "application/vnd.oci.image.layer.v1.tar", l2);
        byte[] manifest = JSON.writeValueAsBytes(m);
        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        descriptor(index.putArray("manifests").addObject(), "application/vnd.oci.image.manifest.v1+json", manifest);
        TarWriter t = new TarWriter().file("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}")
                .file("index.json", 0644, JSON.writeValueAsBytes(index)).dir("blobs").dir("blobs/sha256");
        for (byte[] blob : new byte[][] {l1, l2, config, manifest}) {
            t.file("blobs/sha256/" + sha(blob), 0644, blob);
        }
        Path file = dir.resolve("oci-layout.tar");
        Files.write(file, t.bytes());
        return file;
    }

    private static void descriptor(ObjectNode d, String mediaType, byte[] blob) {
        d.put("mediaType", mediaType).put("digest", "sha256:" + sha(blob)).put("size", blob.length);
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    static String sha(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
