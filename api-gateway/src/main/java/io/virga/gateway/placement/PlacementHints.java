package io.virga.gateway.placement;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.virga.contracts.scheduler.v1.GetServerGroupRequest;
import io.virga.contracts.scheduler.v1.ListAggregatesRequest;
import io.virga.contracts.scheduler.v1.ServerGroup;
import io.virga.gateway.error.ApiException;
import io.virga.gateway.auth.Caller;
import io.virga.gateway.error.GrpcProblems;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code availability_zone} and {@code server_group} of {@code POST /v1/instances}:
 * a zone must be one that some aggregate defines, a group must exist in the
 * caller's project; otherwise 400 naming the field, before anything is written.
 */
@ApplicationScoped
public class PlacementHints {
    /** What the claim step passes to the scheduler; fields are null when not asked for. */
    public record Hints(String availabilityZone, String serverGroupId) {
    }

    private final SchedulerStub scheduler;

    public PlacementHints(SchedulerStub scheduler) {
        this.scheduler = scheduler;
    }

    public Hints validate(Caller caller, JsonNode body) {
        String az = optionalText(body, "availability_zone");
        String group = optionalText(body, "server_group");
        if (az != null) {
            boolean known = GrpcProblems.call(() -> scheduler.get().listAggregates(
                    ListAggregatesRequest.getDefaultInstance())).getAggregatesList().stream()
                    .anyMatch(a -> a.getAvailabilityZone().equals(az));
            if (!known) {
                throw ApiException.badRequest("availability_zone", "unknown availability zone " + az);
            }
        }
        if (group != null) {
            ServerGroup g;
            try {
                g = scheduler.get().getServerGroup(GetServerGroupRequest.newBuilder().setId(group).build());
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() == Status.Code.NOT_FOUND
                        || e.getStatus().getCode() == Status.Code.INVALID_ARGUMENT) {
                    throw ApiException.badRequest("server_group", "no server group " + group);
                }
                throw GrpcProblems.from(e);
            }
            if (!g.getProjectId().equals(caller.projectId())) {
                throw ApiException.badRequest("server_group", "no server group " + group);
            }
        }
        return new Hints(az, group);
    }

    private static String optionalText(JsonNode body, String field) {
        JsonNode v = body == null ? null : body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank() || v.asText().length() > 255) {
            throw ApiException.badRequest(field, "must be a non-empty string of at most 255 characters");
        }
        return v.asText();
    }
}
