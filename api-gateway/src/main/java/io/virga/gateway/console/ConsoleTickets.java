package io.virga.gateway.console;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Single-use, short-lived tickets for graphical consoles. {@link #issue} makes a random secret (32 bytes,
 * base64url) bound to one instance and its project, and keeps only the secret's SHA-256 with the binding and
 * an expiry; {@link #redeem} takes a ticket out (so a second use finds nothing) and says why it is refused
 * when it is. Tickets live in this gateway's memory: a console is opened on the replica that issued it.
 *
 * <pre>
 * ticket   | event                                  | next
 * ---------+----------------------------------------+------------------------------
 * (none)   | issue                                  | ISSUED (until now + ttl)
 * ISSUED   | redeem, same instance, before expiry   | USED (removed; answer OK)
 * ISSUED   | redeem, another instance               | USED (removed; WRONG_INSTANCE)
 * ISSUED   | redeem after expiry, or pruned         | EXPIRED (removed)
 * USED     | redeem                                 | UNKNOWN
 * </pre>
 * At most {@link #MAX_OUTSTANDING} tickets are outstanding; expired ones are pruned on every issue.
 */
@ApplicationScoped
public class ConsoleTickets {
    static final int MAX_OUTSTANDING = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a ticket lets its holder open. */
    public record Grant(String instanceId, String projectId, String hostEndpoint, Instant expiresAt) {
    }

    /** A new ticket: the secret (shown once, never stored) and its grant. */
    public record Issued(String token, Grant grant) {
    }

    /** The answer to a redemption. */
    public enum Outcome { OK, UNKNOWN, EXPIRED, WRONG_INSTANCE }

    /** A redemption: {@code grant} only when {@code outcome} is OK. */
    public record Redemption(Outcome outcome, Grant grant) {
    }

    private final Clock clock;
    private final Duration ttl;
    private final Map<String, Grant> byHash = new ConcurrentHashMap<>();

    @Inject
    public ConsoleTickets(@ConfigProperty(name = "virga.gateway.console.ticket-ttl", defaultValue = "PT60S") Duration ttl) {
        this(Clock.systemUTC(), ttl);
    }

    ConsoleTickets(Clock clock, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("virga.gateway.console.ticket-ttl must be positive, got " + ttl);
        }
        this.clock = clock;
        this.ttl = ttl;
    }

    /** How long a ticket stays valid. */
    public Duration ttl() {
        return ttl;
    }

    /**
     * A ticket for {@code instanceId} of {@code projectId} on the node at {@code hostEndpoint}.
     *
     * @throws IllegalStateException when {@link #MAX_OUTSTANDING} unexpired tickets are outstanding
     */
    public Issued issue(String instanceId, String projectId, String hostEndpoint) {
        Instant now = clock.instant();
        byHash.values().removeIf(g -> !now.isBefore(g.expiresAt()));
        if (byHash.size() >= MAX_OUTSTANDING) {
            throw new IllegalStateException(MAX_OUTSTANDING + " console tickets are outstanding");
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Grant grant = new Grant(instanceId, projectId, hostEndpoint, now.plus(ttl));
        byHash.put(hash(token), grant);
        return new Issued(token, grant);
    }

    /** Takes the ticket {@code token} out, for {@code instanceId}; any answer but OK opens nothing. */
    public Redemption redeem(String token, String instanceId) {
        if (token == null || token.isEmpty() || token.length() > 100) {
            return new Redemption(Outcome.UNKNOWN, null);
        }
        Grant g = byHash.remove(hash(token));
        if (g == null) {
            return new Redemption(Outcome.UNKNOWN, null);
        }
        if (!clock.instant().isBefore(g.expiresAt())) {
            return new Redemption(Outcome.EXPIRED, null);
        }
        if (!g.instanceId().equals(instanceId)) {
            return new Redemption(Outcome.WRONG_INSTANCE, null);
        }
        return new Redemption(Outcome.OK, g);
    }

    /** Tickets held now (issued, not yet redeemed or pruned). */
    int outstanding() {
        return byHash.size();
    }

    private static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
