package io.virga.gateway.api;

import io.virga.gateway.auth.Caller;
import io.virga.gateway.error.ApiException;

/** Which project a request acts on. */
public final class ProjectScope {
    private ProjectScope() {
    }

    /**
     * The caller's project, or {@code requested} ({@code ?project_id=}) for a cloud admin.
     * Anyone else naming a project other than their own gets a 404 for it (tenants never learn
     * whether another project exists).
     */
    public static String resolve(Caller caller, String requested) {
        if (requested == null || requested.isEmpty() || requested.equals(caller.projectId())) {
            return caller.projectId();
        }
        if (!caller.cloudAdmin()) {
            throw ApiException.notFound("project", requested);
        }
        return requested;
    }
}
