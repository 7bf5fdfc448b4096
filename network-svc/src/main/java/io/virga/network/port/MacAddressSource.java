package io.virga.network.port;

/** Candidate MAC addresses for new ports; uniqueness is enforced by the database, not here. */
public interface MacAddressSource {
    /**
     * A locally administered unicast MAC address {@code fa:16:3e:xx:xx:xx}
     * (lower-case hex). May repeat: callers retry on collision.
     */
    String next();
}
