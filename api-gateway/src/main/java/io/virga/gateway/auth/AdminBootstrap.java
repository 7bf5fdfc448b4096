package io.virga.gateway.auth;

import io.quarkus.runtime.StartupEvent;
import io.virga.gateway.api.GatewayConfig;
import io.virga.gateway.project.Project;
import io.virga.gateway.project.ProjectRepository;
import io.virga.gateway.quota.QuotaDefaults;
import io.virga.platform.db.Sql;
import io.virga.platform.db.Tx;
import io.virga.platform.ids.Ids;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * At startup: makes sure the system project ({@code admin}, flagged system) exists, and that the
 * admin-token file ({@code virga.gateway.admin-token-file}) holds a live cloud-admin token. A
 * missing file, or one holding a token the database does not know (or not a cloud admin's),
 * gets a new token, written atomically with mode 600 (parent directories created).
 * Safe to run again and by concurrent gateways (the unique constraints decide).
 */
@ApplicationScoped
public class AdminBootstrap {
    public static final String SYSTEM_PROJECT = "admin";
    private static final Logger LOG = Logger.getLogger(AdminBootstrap.class);

    private final Tx tx;
    private final ProjectRepository projects;
    private final TokenRepository tokens;
    private final QuotaDefaults defaults;
    private final GatewayConfig config;

    public AdminBootstrap(Tx tx, ProjectRepository projects, TokenRepository tokens, QuotaDefaults defaults,
            GatewayConfig config) {
        this.tx = tx;
        this.projects = projects;
        this.tokens = tokens;
        this.defaults = defaults;
        this.config = config;
    }

    void onStart(@Observes @Priority(5) StartupEvent event) {
        Project system = ensureSystemProject();
        boolean fresh = ensureAdminToken(system);
        LOG.infof("system project %s; cloud-admin token %s %s", system.id(), fresh ? "written to" : "kept in",
                config.adminTokenFile().toAbsolutePath());
    }

    /** The system project, made if missing. */
    public Project ensureSystemProject() {
        for (int attempt = 0; ; attempt++) {
            try {
                return tx.run(c -> {
                    Optional<Project> existing = projects.findSystem(c);
                    if (existing.isPresent()) {
                        return existing.get();
                    }
                    return projects.insert(c, Ids.newId("prj"), SYSTEM_PROJECT, true, defaults.limits());
                });
            } catch (RuntimeException e) {
                if (attempt > 2 || !Sql.isUniqueViolation(e)) {
                    throw e; // e.g. a non-system project already named "admin": operator must resolve
                }
            }
        }
    }

    /**
     * Keeps the token in the file if it authenticates as a cloud admin; otherwise creates one and
     * writes it. Returns true when a new token was written.
     */
    public boolean ensureAdminToken(Project system) {
        Path file = config.adminTokenFile();
        Optional<String> current = read(file);
        if (current.isPresent() && current.get().length() <= 256) {
            Optional<Caller> caller = tokens.authenticate(current.get());
            if (caller.isPresent() && caller.get().cloudAdmin()) {
                return false;
            }
        }
        String secret = Tokens.newSecret();
        tx.run(c -> tokens.insert(c, Ids.newId("t"), system.id(), Role.ADMIN, "bootstrap", secret));
        writeAtomically(file, secret + "\n");
        return true;
    }

    private static Optional<String> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            String s = Files.readString(file, StandardCharsets.UTF_8).trim();
            return s.isEmpty() ? Optional.empty() : Optional.of(s);
        } catch (IOException e) {
            LOG.warnf("cannot read %s (%s); a new admin token will replace it", file, e.getMessage());
            return Optional.empty();
        }
    }

    /** Writes via a temp file (mode 600 from creation) in the same directory, then an atomic rename. */
    static void writeAtomically(Path file, String content) {
        try {
            Path abs = file.toAbsolutePath();
            Path dir = abs.getParent();
            Files.createDirectories(dir);
            boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
            Path tmp = posix
                    ? Files.createTempFile(dir, ".admin-token", ".tmp",
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : Files.createTempFile(dir, ".admin-token", ".tmp");
            try {
                Files.writeString(tmp, content, StandardCharsets.UTF_8);
                try {
                    Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write admin token file " + file, e);
        }
    }
}
