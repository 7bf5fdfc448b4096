package io.virga.hypervisor;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Argument checks shared by the SPI records; messages name the field at fault. */
final class Checks {
    private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern MAC = Pattern.compile("[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}");
    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:.]+");

    private Checks() {
    }

    /**
     * An instance id is also a file name and a process name on the host: 1 to 64
     * characters of letters, digits, '.', '_' and '-', starting with a letter or digit.
     */
    static String instanceId(String field, String id) {
        if (id == null || !INSTANCE_ID.matcher(id).matches()) {
            throw new InvalidGuestSpecException(field, "must be 1-64 letters, digits, '.', '_' or '-' "
                    + "starting with a letter or digit, got " + quote(id));
        }
        return id;
    }

    static String text(String field, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            throw new InvalidGuestSpecException(field, "is required");
        }
        if (value.length() > maxLength) {
            throw new InvalidGuestSpecException(field, "must be at most " + maxLength + " characters");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidGuestSpecException(field, "must not contain control characters");
        }
        return value;
    }

    /** A unicast MAC address {@code aa:bb:cc:dd:ee:ff}, returned in lower case. */
    static String mac(String field, String mac) {
        if (mac == null || !MAC.matcher(mac).matches()) {
            throw new InvalidGuestSpecException(field, "must look like 52:54:00:12:34:56, got " + quote(mac));
        }
        if ((Integer.parseInt(mac.substring(0, 2), 16) & 1) != 0) {
            throw new InvalidGuestSpecException(field, "must be a unicast address, got " + mac);
        }
        return mac.toLowerCase(java.util.Locale.ROOT);
    }

    /** An IPv4 or IPv6 literal (never resolved as a host name). */
    static String ipLiteral(String field, String ip) {
        if (IPV4.matcher(ip).matches()) {
            return ip;
        }
        // A string of hex digits, ':' and '.' holding a ':' is parsed by InetAddress
        // as an IPv6 literal and never looked up in DNS.
        if (ip.indexOf(':') >= 0 && IPV6_CHARS.matcher(ip).matches()) {
            try {
                InetAddress.getByName(ip);
                return ip;
            } catch (UnknownHostException e) {
                // fall through to the error below
            }
        }
        throw new InvalidGuestSpecException(field, "must be an IPv4 or IPv6 address, got " + quote(ip));
    }

    private static String quote(String s) {
        return s == null ? "null" : "'" + s + "'";
    }
}
