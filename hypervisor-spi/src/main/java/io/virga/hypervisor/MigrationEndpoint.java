package io.virga.hypervisor;

/**
 * Where a prepared destination waits for a migrating guest, as the destination driver describes it.
 *
 * @param uri  driver-specific, e.g. {@code tcp:127.0.0.1:49152} for QEMU, {@code sim://host-2} for sim
 * @param live whether the destination waits for a live migration (memory streamed) or a cold one
 */
public record MigrationEndpoint(String uri, boolean live) {
    public MigrationEndpoint {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("uri is required");
        }
    }
}
