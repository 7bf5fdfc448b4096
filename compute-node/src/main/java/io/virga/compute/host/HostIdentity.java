package io.virga.compute.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virga.platform.ids.Ids;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;

/**
 * Who this host is: an id {@code h-…} made once and kept in {@code <state-dir>/host.json},
 * so that the host stays the same resource provider across restarts.
 *
 * @param hostId   stable id, {@code h-xxxxxxxxxxxx}
 * @param hostName the configured name (may change; the id does not)
 */
public record HostIdentity(String hostId, String hostName) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * Reads {@code <stateDir>/host.json}, or creates it with a new id when absent. When the
     * configured name differs from the stored one, the id is kept and the name updated.
     *
     * @throws IllegalStateException when the file exists but cannot be read, or cannot be written:
     *                               a node must never silently become a new host
     */
    public static HostIdentity loadOrCreate(Path stateDir, String hostName) {
        Path file = stateDir.resolve("host.json");
        try {
            Files.createDirectories(stateDir);
            if (Files.exists(file)) {
                JsonNode node = MAPPER.readTree(file.toFile());
                String id = node == null ? null : node.path("host_id").asText(null);
                if (!Ids.looksLike("h", id)) {
                    throw new IllegalStateException(file + " holds no valid host_id (got " + id
                            + "); fix or remove the file (removing it makes this a new host)");
                }
                if (!hostName.equals(node.path("host_name").asText())) {
                    write(file, id, hostName, node.path("created_at").asText(Instant.now().toString()));
                }
                return new HostIdentity(id, hostName);
            }
            String id = Ids.newId("h");
            write(file, id, hostName, Instant.now().toString());
            return new HostIdentity(id, hostName);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read or write the host identity " + file + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path file, String id, String name, String createdAt) throws IOException {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("host_id", id);
        node.put("host_name", name);
        node.put("created_at", createdAt);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
