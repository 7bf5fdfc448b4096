package io.virga.network.port;

import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;

/**
 * Random MACs under the prefix {@code fa:16:3e} (0xfa: locally administered
 * bit set, multicast bit clear), i.e. 2^24 addresses.
 */
@ApplicationScoped
public class RandomMacAddresses implements MacAddressSource {
    public static final String PREFIX = "fa:16:3e";
    private final SecureRandom random = new SecureRandom();

    @Override
    public String next() {
        byte[] b = new byte[3];
        random.nextBytes(b);
        return String.format("%s:%02x:%02x:%02x", PREFIX, b[0] & 0xFF, b[1] & 0xFF, b[2] & 0xFF);
    }
}
