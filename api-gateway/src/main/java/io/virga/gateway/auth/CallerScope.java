package io.virga.gateway.auth;

import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;

/**
 * Runs in-process work as a given caller, so that it passes through the same
 * role, tenant, validation and quota checks as the REST call it stands for
 * (used by stacks, whose resources are made by a background operation).
 *
 * <p>On a thread with an active request context whose caller is already set,
 * the work runs in it unchanged (the caller must be the same); elsewhere a
 * fresh request context is activated for the work and terminated afterwards.
 */
@ApplicationScoped
public class CallerScope {
    private final CallerContext callers;

    public CallerScope(CallerContext callers) {
        this.callers = callers;
    }

    /** Runs {@code work} with {@code caller} as the current caller; exceptions pass through. */
    public <T> T as(Caller caller, Supplier<T> work) {
        ManagedContext rc = Arc.container().requestContext();
        if (rc.isActive()) {
            if (!callers.isAuthenticated()) {
                callers.set(caller);
            } else if (!callers.current().equals(caller)) {
                throw new IllegalStateException("the current request belongs to another caller");
            }
            return work.get();
        }
        rc.activate();
        try {
            callers.set(caller);
            return work.get();
        } finally {
            rc.terminate();
        }
    }
}
