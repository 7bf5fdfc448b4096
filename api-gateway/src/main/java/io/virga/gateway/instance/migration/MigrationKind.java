package io.virga.gateway.instance.migration;

import java.util.Arrays;
import java.util.Optional;

/** What moved an instance: the API spelling is {@link #value()}. */
public enum MigrationKind {
    /** A new flavor, on another host; ends in VERIFY_RESIZE (confirm or revert). */
    RESIZE("resize"),
    /** A cold move to another host (same flavor); ends in VERIFY_RESIZE. */
    MIGRATION("migration"),
    /** The running guest moves; ends ACTIVE on the new host. */
    LIVE_MIGRATION("live-migration"),
    /** Rebuilt elsewhere from its image because its host is DOWN; ends ACTIVE on the new host. */
    EVACUATION("evacuation");

    private final String value;

    MigrationKind(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    /** True for the kinds that stop in VERIFY_RESIZE and wait for a confirm or a revert. */
    public boolean needsConfirm() {
        return this == RESIZE || this == MIGRATION;
    }

    public static Optional<MigrationKind> parse(String value) {
        return Arrays.stream(values()).filter(k -> k.value.equals(value)).findFirst();
    }
}
