package io.virga.gateway.auth;

/**
 * Who is calling: the token's id, its project and role. {@code cloudAdmin} is true
 * for role ADMIN in the system project made at bootstrap.
 */
public record Caller(String tokenId, String projectId, Role role, boolean cloudAdmin) {

    /** True when this caller may read resources of {@code ownerProjectId}. */
    public boolean canSee(String ownerProjectId) {
        return cloudAdmin || projectId.equals(ownerProjectId);
    }
}
