package io.virga.gateway.auditlog;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The JSON form of an audit entry (the API's and the Kafka event's). */
public record AuditEntryView(
        String id,
        String at,
        @JsonProperty("actor") Actor actor,
        String method,
        String route,
        String path,
        @JsonProperty("resource_id") String resourceId,
        @JsonProperty("created_id") String createdId,
        int status,
        @JsonProperty("request_id") String requestId) {

    /** Who called: token id, project, role (all null when the call carried no valid token). */
    public record Actor(@JsonProperty("token_id") String tokenId, @JsonProperty("project_id") String projectId,
                        String role, @JsonProperty("cloud_admin") boolean cloudAdmin) {
    }

    public static AuditEntryView of(AuditEntry e) {
        return new AuditEntryView(e.id(), e.at().toString(),
                new Actor(e.tokenId(), e.projectId(), e.role(), e.cloudAdmin()), e.method(), e.route(), e.path(),
                e.resourceId(), e.createdId(), e.status(), e.requestId());
    }
}
