package io.virga.storage.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Plain rules of images, without the service. */
class ImageRulesTest {

    private static Image image(int minDiskGb, Long sizeBytes) {
        return new Image("img-000000000000", "p", "n", DiskFormat.RAW,
                sizeBytes == null ? ImageStatus.QUEUED : ImageStatus.ACTIVE, sizeBytes, null, minDiskGb,
                Visibility.PRIVATE, Instant.now());
    }

    @ParameterizedTest(name = "min_disk {0} GiB, {1} bytes -> {2} GiB")
    @CsvSource({
            "0, 1, 1",
            "0, 1073741824, 1",
            "0, 1073741825, 2",
            "5, 1073741825, 5",
            "1, 10737418240, 10",
            "20, 0, 20"})
    void theSmallestVolumeHoldsTheDataRoundedUpToGibAndTheMinDisk(int minDisk, long size, long expectedGb) {
        assertEquals(expectedGb, image(minDisk, size).minimumVolumeGb());
    }

    @Test
    void onlyQueuedImagesTakeData() {
        assertTrue(ImageStatus.QUEUED.canBecome(ImageStatus.ACTIVE));
        assertFalse(ImageStatus.ACTIVE.canBecome(ImageStatus.ACTIVE));
        assertFalse(ImageStatus.ACTIVE.canBecome(ImageStatus.QUEUED));
    }
}
