package io.virga.gateway.auth;

import io.quarkus.runtime.StartupEvent;
import io.virga.gateway.project.Project;
import io.virga.platform.db.Sql;
import io.virga.platform.db.Tx;
import io.virga.platform.ids.Ids;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * A cloud-admin token whose secret the operator chooses: {@code virga.gateway.bootstrap-admin-token}
 * (env {@code VIRGA_GATEWAY_BOOTSTRAP_ADMIN_TOKEN}, e.g. from a Kubernetes Secret or a compose file).
 * When set, at every start, after {@link AdminBootstrap} made the system project, a live ADMIN token
 * of the system project with exactly that secret exists afterwards (only its SHA-256 is stored).
 * Idempotent and safe for concurrent gateways: the unique hash decides, a loser finds the winner's row.
 * <p>
 * Refused, with the gateway not starting and nothing written: a secret shorter than
 * {@value #MIN_LENGTH} or longer than {@value #MAX_LENGTH} characters or holding whitespace or control
 * characters; a secret that is already some other token's (a project's token, or a revoked one:
 * choose a new secret instead of resurrecting it). Unset or empty: nothing happens.
 */
@ApplicationScoped
public class ConfiguredAdminToken {
    public static final String PROPERTY = "virga.gateway.bootstrap-admin-token";
    public static final int MIN_LENGTH = 20;
    public static final int MAX_LENGTH = 256;
    private static final Logger LOG = Logger.getLogger(ConfiguredAdminToken.class);

    /** What {@link #ensure} found. */
    public enum Outcome { CREATED, ALREADY_PRESENT }

    private final Tx tx;
    private final TokenRepository tokens;
    private final AdminBootstrap bootstrap;
    private final Optional<String> configured;

    public ConfiguredAdminToken(Tx tx, TokenRepository tokens, AdminBootstrap bootstrap,
            @ConfigProperty(name = "virga.gateway.bootstrap-admin-token") Optional<String> configured) {
        this.tx = tx;
        this.tokens = tokens;
        this.bootstrap = bootstrap;
        this.configured = configured;
    }

    void onStart(@Observes @Priority(6) StartupEvent event) {
        if (configured.isPresent() && !configured.get().isBlank()) {
            Outcome outcome = ensure(configured.get().trim());
            LOG.infof("configured cloud-admin token (%s): %s", PROPERTY,
                    outcome == Outcome.CREATED ? "created" : "already present");
        }
    }

    /**
     * Makes sure {@code secret} authenticates as a cloud admin.
     *
     * @throws IllegalArgumentException the secret's shape is refused (nothing written)
     * @throws IllegalStateException    the secret is another token's, live or revoked (nothing written)
     */
    public Outcome ensure(String secret) {
        validate(secret);
        Project system = bootstrap.ensureSystemProject();
        if (isCloudAdmin(secret)) {
            return Outcome.ALREADY_PRESENT;
        }
        try {
            tx.run(c -> tokens.insert(c, Ids.newId("t"), system.id(), Role.ADMIN, "configured-bootstrap", secret));
            return Outcome.CREATED;
        } catch (RuntimeException e) {
            if (!Sql.isUniqueViolation(e)) {
                throw e;
            }
            if (isCloudAdmin(secret)) {
                return Outcome.ALREADY_PRESENT; // a concurrent gateway inserted it first
            }
            throw new IllegalStateException(PROPERTY + " is the secret of an existing token that is not a live"
                    + " cloud-admin token (a project's token, or a revoked one); choose a new secret");
        }
    }

    private boolean isCloudAdmin(String secret) {
        Optional<Caller> caller = tokens.authenticate(secret);
        if (caller.isPresent() && !caller.get().cloudAdmin()) {
            throw new IllegalStateException(PROPERTY + " is the secret of a token of project "
                    + caller.get().projectId() + " with role " + caller.get().role().wireName()
                    + ", not a cloud admin's; choose another secret");
        }
        return caller.isPresent();
    }

    static void validate(String secret) {
        if (secret == null || secret.length() < MIN_LENGTH || secret.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(PROPERTY + " must be " + MIN_LENGTH + " to " + MAX_LENGTH
                    + " characters long (got " + (secret == null ? "none" : secret.length()) + ")");
        }
        for (int i = 0; i < secret.length(); i++) {
            char ch = secret.charAt(i);
            if (ch <= ' ' || ch == 0x7f) {
                throw new IllegalArgumentException(PROPERTY + " must not hold whitespace or control characters"
                        + " (character " + (i + 1) + ")");
            }
        }
    }
}
