package io.virga.scheduler.host;

/**
 * An amount of the three resources a host provides and a claim consumes.
 * All parts are non-negative.
 */
public record Resources(int vcpus, long ramMb, long diskGb) {
    public static final Resources ZERO = new Resources(0, 0, 0);

    public Resources {
        if (vcpus < 0 || ramMb < 0 || diskGb < 0) {
            throw new IllegalArgumentException("resources must not be negative: " + vcpus + "/" + ramMb + "/" + diskGb);
        }
    }
}
