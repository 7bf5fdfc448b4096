package io.virga.gateway.quota;

/** An amount of quota-counted resources; never negative. */
public record Usage(int instances, int vcpus, long ramMb) {
    public static final Usage ZERO = new Usage(0, 0, 0);

    public Usage {
        if (instances < 0 || vcpus < 0 || ramMb < 0) {
            throw new IllegalArgumentException("usage cannot be negative: " + instances + "/" + vcpus + "/" + ramMb);
        }
    }
}
