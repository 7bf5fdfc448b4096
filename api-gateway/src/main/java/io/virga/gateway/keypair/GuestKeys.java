package io.virga.gateway.keypair;

import com.fasterxml.jackson.databind.JsonNode;
import io.virga.gateway.error.ApiException;
import io.virga.gateway.instance.CreateInstanceRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * {@code key_name} on instance create: resolves the project's key pair and delivers its public key to the guest
 * through the user-data channel every guest already has (QEMU fw_cfg {@code opt/virga/user_data}, the runc
 * bundle's {@code /var/lib/virga/user-data}; the guest init runs user data that starts with {@code #!}).
 * <p>
 * The instance's stored user data becomes a {@code /bin/sh} script that appends the key to
 * {@code /root/.ssh/authorized_keys} (dir 700, file 600), then hands over to the caller's own user data, kept
 * byte for byte in {@code /var/lib/virga/user-data.orig} and executed when it is a {@code #!} script. Because it
 * is the stored user data, every later spawn (rebuild, evacuate, migrate) delivers the key too. The API never
 * shows user data, so the wrapping is invisible to clients. Deleting the key pair later does not change it.
 */
@ApplicationScoped
public class GuestKeys {
    /** A key chosen for an instance and the (base64) user data that delivers it. */
    public record Chosen(Keypair key, String userDataBase64) {
    }

    private final KeypairRepository keypairs;

    public GuestKeys(KeypairRepository keypairs) {
        this.keypairs = keypairs;
    }

    /**
     * The key named by {@code body.key_name} in {@code projectId} and the user data delivering it; empty when the
     * body names no key.
     *
     * @param userDataBase64 the validated user data of the request (base64) or null
     * @throws ApiException 400 naming {@code key_name} when it is not a string or no such key pair exists, or
     *                      naming {@code user_data} when the wrapped user data grows too big
     */
    public Optional<Chosen> choose(String projectId, JsonNode body, String userDataBase64) {
        JsonNode v = body == null ? null : body.get("key_name");
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw ApiException.badRequest("key_name", "must be the name of one of the project's key pairs");
        }
        Keypair key = keypairs.find(projectId, v.asText())
                .orElseThrow(() -> ApiException.badRequest("key_name", "no key pair named " + v.asText()
                        + " in this project"));
        byte[] original = userDataBase64 == null ? null : Base64.getDecoder().decode(userDataBase64);
        String wrapped = Base64.getEncoder().encodeToString(script(key, original).getBytes(StandardCharsets.UTF_8));
        if (wrapped.length() > CreateInstanceRequest.MAX_USER_DATA_BYTES) {
            throw ApiException.badRequest("user_data", "with the key pair added it would be " + wrapped.length()
                    + " bytes of base64; at most " + CreateInstanceRequest.MAX_USER_DATA_BYTES + " allowed");
        }
        return Optional.of(new Chosen(key, wrapped));
    }

    /**
     * The script the guest runs. {@code VIRGA_ROOT} (unset in guests) prefixes every path, so a test can run it
     * in a scratch directory.
     */
    public static String script(Keypair key, byte[] originalUserData) {
        StringBuilder s = new StringBuilder();
        s.append("#!/bin/sh\n");
        s.append("# virga: key pair ").append(key.name()).append(" -> /root/.ssh/authorized_keys\n");
        s.append("R=\"${VIRGA_ROOT:-}\"\n");
        s.append("umask 077\n");
        s.append("mkdir -p \"$R/root/.ssh\" && chmod 700 \"$R/root/.ssh\"\n");
        s.append("printf '%s\\n' ").append(quote(key.publicKey())).append(" >> \"$R/root/.ssh/authorized_keys\"\n");
        s.append("chmod 600 \"$R/root/.ssh/authorized_keys\"\n");
        if (originalUserData != null && originalUserData.length > 0) {
            s.append("mkdir -p \"$R/var/lib/virga\"\n");
            s.append("base64 -d > \"$R/var/lib/virga/user-data.orig\" <<'VIRGA_USER_DATA'\n");
            s.append(Base64.getMimeEncoder(76, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(originalUserData)).append("\nVIRGA_USER_DATA\n");
            boolean runs = originalUserData.length > 1 && originalUserData[0] == '#' && originalUserData[1] == '!';
            if (runs) {
                s.append("chmod 700 \"$R/var/lib/virga/user-data.orig\"\n");
                s.append("exec \"$R/var/lib/virga/user-data.orig\"\n");
            }
        }
        return s.toString();
    }

    /** A single-quoted shell word. */
    static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    /** Records the key in the create transaction. */
    public void attach(java.sql.Connection c, String instanceId, Chosen chosen) throws java.sql.SQLException {
        keypairs.attach(c, instanceId, chosen.key());
    }
}
