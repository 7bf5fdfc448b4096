package io.virga.hypervisor.qemu;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where one guest's files are. Everything lives in {@code <stateDir>/guests/<id>/}, except the unix
 * sockets when that path is too long for a socket address (108 bytes): they then live in
 * {@code /tmp/virga-qemu-<hash of stateDir>/<id>/}, a name derived from the state directory alone so that
 * a new driver finds them again.
 */
record GuestFiles(Path dir, Path runDir) {
    private static final int MAX_SOCKET_PATH = 100;

    static GuestFiles of(Path stateDir, String instanceId) {
        Path dir = guestsDir(stateDir).resolve(instanceId);
        Path runDir = dir;
        if (dir.resolve("serial.sock").toString().length() > MAX_SOCKET_PATH) {
            runDir = Path.of("/tmp", "virga-qemu-" + shortHash(stateDir.toAbsolutePath().toString()), instanceId);
        }
        return new GuestFiles(dir, runDir);
    }

    static Path guestsDir(Path stateDir) {
        return stateDir.toAbsolutePath().resolve("guests");
    }

    Path stateFile() {
        return dir.resolve("state.json");
    }

    Path pidFile() {
        return dir.resolve("qemu.pid");
    }

    Path stderr() {
        return dir.resolve("qemu.err");
    }

    Path serialLog() {
        return dir.resolve("serial.log");
    }

    Path userData() {
        return dir.resolve("user_data");
    }

    Path memoryState() {
        return dir.resolve("memory.state");
    }

    /** The local disk the driver makes for the guest's disk number {@code index}. */
    Path localDisk(int index) {
        return dir.resolve("disk-" + index + ".qcow2");
    }

    Path qmpSocket() {
        return runDir.resolve("qmp.sock");
    }

    Path serialSocket() {
        return runDir.resolve("serial.sock");
    }

    Path agentSocket() {
        return runDir.resolve("agent.sock");
    }

    /** The guest's VNC server (RFB), reachable only through this directory. */
    Path vncSocket() {
        return runDir.resolve("vnc.sock");
    }

    static String shortHash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
