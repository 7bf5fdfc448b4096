package io.virga.compute.guest;

/** Another operation on the guest did not end within the time a caller may wait for it. */
public class GuestBusyException extends RuntimeException {
    public GuestBusyException(String message) {
        super(message);
    }
}
