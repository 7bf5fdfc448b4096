package io.virga.gateway.instance.migration;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The declared lifecycle of a migration record; every write is a
 * compare-and-set from one of the allowed previous statuses
 * ({@link MigrationRepository#move}).
 *
 * <pre>
 * status         meaning                                                   next
 * pre-migrating  accepted; the destination is being claimed                migrating, error
 * migrating      destination claimed; the guest is moving                  finished (resize, migration),
 *                                                                          completed (live, evacuation), error
 * finished       the guest runs on the destination (VERIFY_RESIZE);        confirming, reverting, error
 *                both claims held
 * confirming     the source guest and claim are being removed              confirmed, error
 * reverting      the destination guest and claim are being removed         reverted, error
 * (error from finished, confirming or reverting: the instance was deleted meanwhile)
 * confirmed, reverted, completed, error                                    (final)
 * </pre>
 */
public enum MigrationStatus {
    PRE_MIGRATING("pre-migrating"),
    MIGRATING("migrating"),
    FINISHED("finished"),
    CONFIRMING("confirming"),
    CONFIRMED("confirmed"),
    REVERTING("reverting"),
    REVERTED("reverted"),
    COMPLETED("completed"),
    ERROR("error");

    private static final Map<MigrationStatus, Set<MigrationStatus>> NEXT = new EnumMap<>(MigrationStatus.class);

    static {
        NEXT.put(PRE_MIGRATING, EnumSet.of(MIGRATING, ERROR));
        NEXT.put(MIGRATING, EnumSet.of(FINISHED, COMPLETED, ERROR));
        NEXT.put(FINISHED, EnumSet.of(CONFIRMING, REVERTING, ERROR));
        NEXT.put(CONFIRMING, EnumSet.of(CONFIRMED, ERROR));
        NEXT.put(REVERTING, EnumSet.of(REVERTED, ERROR));
        for (MigrationStatus s : List.of(CONFIRMED, REVERTED, COMPLETED, ERROR)) {
            NEXT.put(s, EnumSet.noneOf(MigrationStatus.class));
        }
    }

    private final String value;

    MigrationStatus(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    /** True when nothing follows (the move is over). */
    public boolean isFinal() {
        return NEXT.get(this).isEmpty();
    }

    /** The statuses reachable in one step. */
    public Set<MigrationStatus> next() {
        return Collections.unmodifiableSet(NEXT.get(this));
    }

    /** The statuses from which {@code to} may be reached. */
    public static Set<MigrationStatus> before(MigrationStatus to) {
        Set<MigrationStatus> from = EnumSet.noneOf(MigrationStatus.class);
        NEXT.forEach((s, next) -> {
            if (next.contains(to)) {
                from.add(s);
            }
        });
        return from;
    }

    public static Optional<MigrationStatus> parse(String value) {
        return Arrays.stream(values()).filter(s -> s.value.equals(value)).findFirst();
    }
}
