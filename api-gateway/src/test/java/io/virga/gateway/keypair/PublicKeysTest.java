package io.virga.gateway.keypair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.virga.gateway.error.ApiException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PublicKeysTest {
    @Test
    void fingerprintsMatchOpenSsh() {
        assertEquals(SshKeys.ED25519_FP, PublicKeys.parse(SshKeys.ED25519).fingerprint());
        assertEquals(SshKeys.RSA_FP, PublicKeys.parse(SshKeys.RSA).fingerprint());
        assertEquals(SshKeys.ECDSA_FP, PublicKeys.parse(SshKeys.ECDSA).fingerprint());
        assertEquals("ecdsa-sha2-nistp256", PublicKeys.parse("  " + SshKeys.ECDSA + "\n").type());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ssh-ed25519", "ssh-dss AAAAB3NzaC1kc3M=", "ssh-ed25519 !!!notbase64",
        "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIE0aW/H75RkGEW3SikIPCumg3nlmpr3Y1NJToTBw3jc+",
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE0aW/H75RkGEW3SikIPCumg3nlmpr3Y1NJToTBw3j==",
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE0aW/H75RkGEW3SikIPCumg3nlmpr3Y1NJToTBw3jc+AAAA"})
    void malformedKeysAre400OnPublicKey(String key) {
        ApiException e = assertThrows(ApiException.class, () -> PublicKeys.parse(key));
        assertEquals(400, e.status());
        assertEquals("public_key", e.errors().get(0).field());
    }

    @Test
    void shortRsaAndTwoLinesAreRefused() {
        assertThrows(ApiException.class, () -> PublicKeys.parse(SshKeys.RSA_1024));
        assertThrows(ApiException.class, () -> PublicKeys.parse(SshKeys.ED25519 + "\n" + SshKeys.RSA));
        assertThrows(ApiException.class, () -> PublicKeys.parse("x".repeat(PublicKeys.MAX_LENGTH + 1)));
    }

    /** The delivery script, run by a real /bin/sh in a scratch root, writes authorized_keys and runs the user's script. */
    @Test
    void guestScriptWritesAuthorizedKeysThenRunsUserData(@TempDir Path root) throws Exception {
        Keypair k = new Keypair("prj-x", "laptop", "ssh-ed25519", SshKeys.ED25519 + " it's mine", null, null);
        String user = "#!/bin/sh\necho ran > \"$VIRGA_ROOT/ran\"\n";
        String script = GuestKeys.script(k, user.getBytes(StandardCharsets.UTF_8));
        Path file = root.resolve("ud.sh");
        Files.writeString(file, script);
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", file.toString());
        pb.environment().put("VIRGA_ROOT", root.toString());
        Process run = pb.redirectErrorStream(true).start();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, run.waitFor(), output);
        assertEquals(SshKeys.ED25519 + " it's mine\n",
                Files.readString(root.resolve("root/.ssh/authorized_keys")));
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(root.resolve("root/.ssh"))));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(root.resolve("root/.ssh/authorized_keys"))));
        assertEquals(user, Files.readString(root.resolve("var/lib/virga/user-data.orig")));
        assertEquals("ran\n", Files.readString(root.resolve("ran")));
        String b64 = Base64.getEncoder().encodeToString(script.getBytes(StandardCharsets.UTF_8));
        assertEquals(script, new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8));
    }
}
