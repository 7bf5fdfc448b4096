package io.virga.gateway.auth;

import io.virga.gateway.error.ApiException;
import jakarta.enterprise.context.RequestScoped;

/**
 * The caller of the current request. Set once by {@link AuthFilter} from
 * {@code Authorization: Bearer <token>}; empty for the unauthenticated paths.
 */
@RequestScoped
public class CallerContext {
    private Caller caller;

    /** Set by the auth filter; not for resources. */
    void set(Caller caller) {
        this.caller = caller;
    }

    /** The caller, or a 401 problem if the request carries no valid token. */
    public Caller current() {
        if (caller == null) {
            throw ApiException.unauthorized("a valid bearer token is required");
        }
        return caller;
    }

    /** The caller if its role may write (admin, member), else a 403 problem. */
    public Caller requireWrite() {
        Caller c = current();
        if (!c.role().canWrite()) {
            throw ApiException.forbidden("role reader may not change resources");
        }
        return c;
    }

    /** The caller if it is a cloud admin, else a 403 problem. */
    public Caller requireCloudAdmin() {
        Caller c = current();
        if (!c.cloudAdmin()) {
            throw ApiException.forbidden("only cloud administrators may do this");
        }
        return c;
    }

    /** The caller if it is a cloud admin or an admin of {@code projectId}, else 403 (404 for other projects). */
    public Caller requireProjectAdmin(String projectId) {
        Caller c = current();
        if (c.cloudAdmin()) {
            return c;
        }
        if (!c.projectId().equals(projectId)) {
            throw ApiException.notFound("project", projectId);
        }
        if (c.role() != Role.ADMIN) {
            throw ApiException.forbidden("only admins of project " + projectId + " may do this");
        }
        return c;
    }

    /** True when a caller has been authenticated for this request. */
    public boolean isAuthenticated() {
        return caller != null;
    }
}
