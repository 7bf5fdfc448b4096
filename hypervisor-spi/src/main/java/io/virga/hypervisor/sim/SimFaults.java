package io.virga.hypervisor.sim;

import io.virga.hypervisor.GuestSpec;
import java.util.regex.Pattern;

/** The sim's failure injection. Not thread safe: the caller holds the driver's lock. */
final class SimFaults {
    private final String hostName;
    private final Pattern failNameMatching;
    private int failNext;

    SimFaults(SimOptions options) {
        this.hostName = options.hostName();
        this.failNameMatching = options.failSpawnMatching();
        this.failNext = options.failNextSpawns();
    }

    void failNext(int count) {
        failNext = count;
    }

    /**
     * The failure message for a spawn of {@code spec} that should fail, or null when it should
     * succeed. Counts down the "fail the next N" counter first.
     */
    String failureFor(GuestSpec spec) {
        if (failNext > 0) {
            failNext--;
            return "simulated boot failure of guest '" + spec.name() + "' on " + hostName
                    + " (the sim was told to fail the next spawns)";
        }
        if (failNameMatching != null && failNameMatching.matcher(spec.name()).find()) {
            return "simulated boot failure of guest '" + spec.name() + "' on " + hostName
                    + " (name matches /" + failNameMatching.pattern() + "/)";
        }
        return null;
    }
}
