package io.virga.gateway.keypair;

import io.virga.gateway.error.ApiException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;

/**
 * Parses an OpenSSH public key line, {@code <type> <base64 blob> [comment]}, and checks the blob's wire
 * format (RFC 4253 §6.6, RFC 8709, RFC 5656): its embedded type equals the line's type, an ed25519 key is
 * 32 bytes, an RSA modulus at least 2048 bits, an ECDSA key names its curve; nothing may trail the blob.
 * The fingerprint is OpenSSH's {@code SHA256:<unpadded base64 of SHA-256(blob)>}.
 */
public final class PublicKeys {
    /** Accepted key types and, for ECDSA, the curve name the blob must carry. */
    static final Map<String, String> TYPES = Map.of("ssh-ed25519", "", "ssh-rsa", "",
            "ecdsa-sha2-nistp256", "nistp256", "ecdsa-sha2-nistp384", "nistp384", "ecdsa-sha2-nistp521", "nistp521");
    public static final int MAX_LENGTH = 16384;
    static final int MIN_RSA_BITS = 2048;

    private PublicKeys() {
    }

    /** A checked key: its type, the normalised line ({@code type blob [comment]}) and its fingerprint. */
    public record Parsed(String type, String line, String fingerprint) {
    }

    /**
     * @throws ApiException 400 on the field {@code public_key} saying what is wrong
     */
    public static Parsed parse(String text) {
        if (text == null || text.isBlank()) {
            throw invalid("is required: an OpenSSH public key line, e.g. 'ssh-ed25519 AAAA... me@host'");
        }
        if (text.length() > MAX_LENGTH) {
            throw invalid("must be at most " + MAX_LENGTH + " characters");
        }
        String trimmed = text.trim();
        if (trimmed.indexOf('\n') >= 0 || trimmed.indexOf('\r') >= 0) {
            throw invalid("must be a single line");
        }
        String[] parts = trimmed.split("\\s+", 3);
        if (parts.length < 2) {
            throw invalid("must be '<type> <base64 key> [comment]'");
        }
        String type = parts[0];
        if (!TYPES.containsKey(type)) {
            throw invalid("type must be one of ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256/384/521");
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            throw invalid("key is not valid base64");
        }
        checkBlob(type, blob);
        String comment = parts.length == 3 ? parts[2] : null;
        if (comment != null && !comment.chars().allMatch(ch -> ch >= 0x20 && ch != 0x7f)) {
            throw invalid("comment must not hold control characters");
        }
        String line = type + " " + parts[1] + (comment == null ? "" : " " + comment);
        return new Parsed(type, line, fingerprint(blob));
    }

    static String fingerprint(byte[] blob) {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(sha);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void checkBlob(String type, byte[] blob) {
        ByteBuffer b = ByteBuffer.wrap(blob);
        String embedded = new String(field(b), StandardCharsets.US_ASCII);
        if (!embedded.equals(type)) {
            throw invalid("key data is of type '" + embedded + "', not " + type);
        }
        switch (type) {
            case "ssh-ed25519" -> {
                if (field(b).length != 32) {
                    throw invalid("an ssh-ed25519 key is 32 bytes");
                }
            }
            case "ssh-rsa" -> {
                field(b); // public exponent
                byte[] n = field(b);
                int bits = new java.math.BigInteger(1, n).bitLength();
                if (bits < MIN_RSA_BITS) {
                    throw invalid("an ssh-rsa modulus must be at least " + MIN_RSA_BITS + " bits (got " + bits + ")");
                }
            }
            default -> {
                String curve = new String(field(b), StandardCharsets.US_ASCII);
                if (!curve.equals(TYPES.get(type))) {
                    throw invalid("key data names curve '" + curve + "', not " + TYPES.get(type));
                }
                byte[] q = field(b);
                if (q.length == 0 || q[0] != 0x04) {
                    throw invalid("the ECDSA point must be uncompressed");
                }
            }
        }
        if (b.hasRemaining()) {
            throw invalid("key data has " + b.remaining() + " trailing bytes");
        }
    }

    /** One length-prefixed field of the SSH wire format. */
    private static byte[] field(ByteBuffer b) {
        if (b.remaining() < 4) {
            throw invalid("key data is truncated");
        }
        int len = b.getInt();
        if (len < 0 || len > b.remaining()) {
            throw invalid("key data is truncated");
        }
        byte[] out = new byte[len];
        b.get(out);
        return out;
    }

    private static ApiException invalid(String message) {
        return ApiException.badRequest("public_key", message);
    }
}
