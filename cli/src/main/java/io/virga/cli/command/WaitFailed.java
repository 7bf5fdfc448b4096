package io.virga.cli.command;

/** A {@code --wait} that ended badly: the resource reached ERROR, or the time budget ran out. */
public final class WaitFailed extends RuntimeException {
    public WaitFailed(String message) {
        super(message);
    }
}
