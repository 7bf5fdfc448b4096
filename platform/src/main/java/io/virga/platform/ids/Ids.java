package io.virga.platform.ids;

import java.security.SecureRandom;

/**
 * Opaque resource ids with a type prefix, e.g. {@code i-7kq2m9x4b1c8}.
 *
 * <p>The random part is 12 characters of a lower-case base-32 alphabet
 * (60 bits), drawn from {@link SecureRandom}, so ids cannot be guessed across
 * tenants. Ids are never reused.
 */
public final class Ids {
    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int LENGTH = 12;

    private Ids() {
    }

    /** A new id {@code prefix-xxxxxxxxxxxx}; prefix must be non-empty lower-case letters. */
    public static String newId(String prefix) {
        if (prefix == null || !prefix.matches("[a-z]+")) {
            throw new IllegalArgumentException("id prefix must be lower-case letters: " + prefix);
        }
        StringBuilder sb = new StringBuilder(prefix.length() + 1 + LENGTH).append(prefix).append('-');
        for (int i = 0; i < LENGTH; i++) {
            sb.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return sb.toString();
    }

    /** True when {@code id} has the shape of an id made by {@link #newId(String)} with this prefix. */
    public static boolean looksLike(String prefix, String id) {
        return id != null && id.length() == prefix.length() + 1 + LENGTH && id.startsWith(prefix + "-")
                && id.substring(prefix.length() + 1).chars().allMatch(c -> new String(ALPHABET).indexOf(c) >= 0);
    }
}
