package io.virga.hypervisor.qemu;

import io.virga.hypervisor.HypervisorException;

/** QEMU answered a QMP command with an error, or the QMP connection failed. */
public class QmpException extends HypervisorException {
    private final String errorClass;

    public QmpException(String errorClass, String message) {
        super(message);
        this.errorClass = errorClass;
    }

    public QmpException(String message, Throwable cause) {
        super(message, cause);
        this.errorClass = null;
    }

    /** QEMU's error class (e.g. {@code GenericError}), or {@code null} for a connection failure. */
    public String errorClass() {
        return errorClass;
    }
}
