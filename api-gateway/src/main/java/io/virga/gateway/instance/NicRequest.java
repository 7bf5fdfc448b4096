package io.virga.gateway.instance;

import com.fasterxml.jackson.databind.JsonNode;
import io.virga.gateway.error.FieldError;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One entry of {@code networks[]} on instance create: {@code {"network": id}},
 * optionally with {@code "fixed_ip"} (an address of one of the network's
 * subnets), or {@code {"port": id}} (an existing, unbound port of the
 * project; {@code network} may be given too and must then be the port's).
 * Any other key is refused naming the field.
 *
 * <p>Stored in the instance row's {@code requested_networks} as text
 * ({@link #encode}): the network id alone for a plain entry (as before), else
 * {@code <network> fixed_ip=<ip>} or {@code <network> port=<id>}.
 *
 * @param network the network id (for a {@code port} entry: the port's network, once validated)
 * @param fixedIp the requested address, or null
 * @param port    the existing port, or null
 */
public record NicRequest(String network, String fixedIp, String port) {
    private static final Set<String> KEYS = Set.of("network", "fixed_ip", "port");
    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    /** This entry bound to its (validated) network. */
    public NicRequest withNetwork(String networkId) {
        return new NicRequest(networkId, fixedIp, port);
    }

    /** The text stored for this entry. */
    public String encode() {
        if (port != null) {
            return network + " port=" + port;
        }
        return fixedIp == null ? network : network + " fixed_ip=" + fixedIp;
    }

    /** Reads a stored entry ({@link #encode}); a bare id is a plain network entry. */
    public static NicRequest decode(String text) {
        String[] parts = text.split(" ", 2);
        if (parts.length == 1) {
            return new NicRequest(parts[0], null, null);
        }
        if (parts[1].startsWith("port=")) {
            return new NicRequest(parts[0], null, parts[1].substring(5));
        }
        return new NicRequest(parts[0], parts[1].substring("fixed_ip=".length()), null);
    }

    /**
     * Checks the shape of entry {@code n}, adding a {@link FieldError} per
     * fault ({@code networks[n].<key>}); answers null when it is unusable.
     */
    static NicRequest parse(JsonNode entry, int n, List<FieldError> errors) {
        String at = "networks[" + n + "]";
        if (entry == null || !entry.isObject()) {
            errors.add(new FieldError(at, "must be an object: {\"network\": id}, with \"fixed_ip\", or {\"port\": id}"));
            return null;
        }
        int before = errors.size();
        entry.fieldNames().forEachRemaining(f -> {
            if (!KEYS.contains(f)) {
                errors.add(new FieldError(at + "." + f, "unknown field; allowed: network, fixed_ip, port"));
            }
        });
        String network = text(entry, "network", at, errors);
        String fixedIp = text(entry, "fixed_ip", at, errors);
        String port = text(entry, "port", at, errors);
        if (fixedIp != null && !IPV4.matcher(fixedIp).matches()) {
            errors.add(new FieldError(at + ".fixed_ip", "must be an IPv4 address such as 10.0.0.5, got " + fixedIp));
        }
        if (port != null && fixedIp != null) {
            errors.add(new FieldError(at + ".fixed_ip", "give fixed_ip or port, not both (a port has its address)"));
        }
        if (network == null && port == null && errors.size() == before) {
            errors.add(new FieldError(at + ".network", "is required: a network id (or give \"port\")"));
        }
        return errors.size() == before ? new NicRequest(network, fixedIp, port) : null;
    }

    private static String text(JsonNode entry, String key, String at, List<FieldError> errors) {
        JsonNode v = entry.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            errors.add(new FieldError(at + "." + key, "must be a non-empty string"));
            return null;
        }
        return v.asText().trim();
    }
}
