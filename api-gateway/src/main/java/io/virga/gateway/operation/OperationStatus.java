package io.virga.gateway.operation;

/** Where an operation is: RUNNING until it ends SUCCEEDED or FAILED (both final). */
public enum OperationStatus {
    RUNNING, SUCCEEDED, FAILED
}
