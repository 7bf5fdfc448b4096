package io.virga.compute.guest;

import java.util.concurrent.RejectedExecutionException;

/** The node's work queue is full; nothing was accepted. The message says how full. */
public class WorkQueueFullException extends RejectedExecutionException {
    public WorkQueueFullException(String message) {
        super(message);
    }
}
