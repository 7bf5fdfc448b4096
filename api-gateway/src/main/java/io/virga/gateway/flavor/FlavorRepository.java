package io.virga.gateway.flavor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.virga.gateway.error.ApiException;
import io.virga.platform.db.Sql;
import io.virga.platform.db.Tx;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Flavors in the gateway database. Flavors are global (not project-scoped) and immutable once made. */
@ApplicationScoped
public class FlavorRepository {
    private static final String COLUMNS = "id, name, vcpus, ram_mb, disk_gb, kind, virt_mode, extra_specs";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> SPECS = new TypeReference<>() {
    };
    private final Tx tx;

    public FlavorRepository(Tx tx) {
        this.tx = tx;
    }

    /** The flavor whose id or (unique) name is {@code idOrName}; empty if none. */
    public Optional<Flavor> findByIdOrName(String idOrName) {
        if (idOrName == null || idOrName.isBlank()) {
            return Optional.empty();
        }
        return tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM flavors WHERE id = ? OR name = ? ORDER BY (id = ?) DESC LIMIT 1")) {
                ps.setString(1, idOrName);
                ps.setString(2, idOrName);
                ps.setString(3, idOrName);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(map(rs)) : Optional.<Flavor>empty();
                }
            }
        });
    }

    /**
     * Inserts a validated flavor.
     *
     * @throws ApiException 409 if the name is taken (nothing inserted)
     */
    public Flavor insert(Flavor f) {
        try {
            return tx.run(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO flavors (" + COLUMNS
                        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb)")) {
                    ps.setString(1, f.id());
                    ps.setString(2, f.name());
                    ps.setInt(3, f.vcpus());
                    ps.setLong(4, f.ramMb());
                    ps.setInt(5, f.diskGb());
                    ps.setString(6, f.kind());
                    ps.setString(7, f.virtMode());
                    ps.setString(8, toJson(f.extraSpecs()));
                    ps.executeUpdate();
                }
                return f;
            });
        } catch (RuntimeException e) {
            if (Sql.isUniqueViolation(e)) {
                throw ApiException.conflict("flavor name " + f.name() + " is already taken");
            }
            throw e;
        }
    }

    /** Flavors ordered by id, after {@code afterId} (exclusive, null = from the start), at most {@code limit}. */
    public List<Flavor> list(String afterId, int limit) {
        return tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM flavors WHERE (?::text IS NULL OR id > ?) ORDER BY id LIMIT ?")) {
                ps.setString(1, afterId);
                ps.setString(2, afterId);
                ps.setInt(3, limit);
                List<Flavor> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(map(rs));
                    }
                }
                return out;
            }
        });
    }

    private static Flavor map(ResultSet rs) throws SQLException {
        return new Flavor(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getLong(4), rs.getInt(5),
                rs.getString(6), rs.getString(7), fromJson(rs.getString(8)));
    }

    private static String toJson(Map<String, String> specs) {
        try {
            return JSON.writeValueAsString(specs);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode extra specs", e);
        }
    }

    private static Map<String, String> fromJson(String json) throws SQLException {
        try {
            return json == null ? Map.of() : JSON.readValue(json, SPECS);
        } catch (JsonProcessingException e) {
            throw new SQLException("flavors.extra_specs is not an object of strings: " + json, e);
        }
    }
}
