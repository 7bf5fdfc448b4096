package io.virga.network.ipam;

/**
 * Bad address or CIDR text. The message is meant for the user and names no
 * field: callers prefix it with the request field ({@code "cidr: " + message}).
 */
public class AddressFormatException extends IllegalArgumentException {
    public AddressFormatException(String message) {
        super(message);
    }
}
