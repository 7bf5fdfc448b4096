package io.virga.compute.guest;

/** The host's driver lacks a capability an action needs; {@link #trait()} names it. */
public class MissingCapabilityException extends RuntimeException {
    private final String trait;

    public MissingCapabilityException(String hostName, String driver, String trait) {
        super("host " + hostName + " (driver " + driver + ") lacks " + trait);
        this.trait = trait;
    }

    public String trait() {
        return trait;
    }
}
