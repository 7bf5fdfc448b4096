package io.virga.storage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * storage-svc's own meters (Prometheus names in brackets):
 * volumes created [{@code virga_storage_volumes_created_total}], volumes
 * deleted [{@code virga_storage_volumes_deleted_total}], bytes of completed
 * image uploads [{@code virga_storage_image_uploaded_bytes_total}] and uploads
 * by outcome [{@code virga_storage_image_uploads_total{outcome}}].
 * Counted after the transaction commits.
 */
@ApplicationScoped
public class StorageMetrics {
    /** How an upload ended. */
    public enum UploadOutcome { ACTIVE, REJECTED, TOO_LARGE, ABORTED }

    private final MeterRegistry registry;
    private final Counter volumesCreated;
    private final Counter volumesDeleted;
    private final Counter imageBytes;

    public StorageMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.volumesCreated = Counter.builder("virga.storage.volumes.created")
                .description("Volumes created").register(registry);
        this.volumesDeleted = Counter.builder("virga.storage.volumes.deleted")
                .description("Volumes deleted").register(registry);
        this.imageBytes = Counter.builder("virga.storage.image.uploaded").baseUnit("bytes")
                .description("Bytes of image data stored by completed uploads").register(registry);
    }

    public void volumeCreated() {
        volumesCreated.increment();
    }

    public void volumesDeleted(int count) {
        volumesDeleted.increment(count);
    }

    public void uploadEnded(UploadOutcome outcome, long bytes) {
        Counter.builder("virga.storage.image.uploads").description("Image uploads by outcome")
                .tag("outcome", outcome.name().toLowerCase()).register(registry).increment();
        if (outcome == UploadOutcome.ACTIVE) {
            imageBytes.increment(bytes);
        }
    }
}
