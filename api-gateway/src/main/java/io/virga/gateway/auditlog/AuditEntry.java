package io.virga.gateway.auditlog;

import java.time.Instant;

/**
 * One audited call. Holds no request or response body, no query string and no token value.
 *
 * @param id         {@code aud-…}
 * @param tokenId    the caller's token id ({@code t-…}); null when the call carried no valid token
 * @param projectId  the caller's project; null without a valid token
 * @param role       the caller's role ({@code admin}, {@code member}, {@code reader}); null without a token
 * @param cloudAdmin whether the caller was a cloud admin
 * @param method     POST, PUT, PATCH or DELETE
 * @param route      the route template, e.g. {@code /v1/instances/{id}/actions}; {@code (unmatched)} for none
 * @param path       the request path without its query string
 * @param resourceId the id the path names ({@code {id}} or the last path parameter); null when none
 * @param createdId  the {@code id} of what a successful call returned (e.g. the new instance); null when none
 * @param status     the HTTP status answered
 * @param requestId  the request's {@code X-Request-Id} (the client's if it sent a sane one, else generated)
 */
public record AuditEntry(String id, Instant at, String tokenId, String projectId, String role, boolean cloudAdmin,
                         String method, String route, String path, String resourceId, String createdId, int status,
                         String requestId) {
}
