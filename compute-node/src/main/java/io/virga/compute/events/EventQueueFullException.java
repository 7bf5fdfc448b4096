package io.virga.compute.events;

/** The node's event queue is full: Kafka does not take events as fast as they come. */
public class EventQueueFullException extends IllegalStateException {
    public EventQueueFullException(String message) {
        super(message);
    }
}
