package io.virga.gateway.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virga.gateway.instance.InstanceResource;
import io.virga.gateway.instance.action.ActionResource;
import io.virga.gateway.operation.OperationResource;
import io.virga.gateway.volume.VolumeAttachmentResource;
import io.virga.gateway.volume.VolumeResource;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Volumes, instances and volume attachments through the gateway's own resources (same validation,
 * quotas and tenant checks as REST), waiting until each settles: a volume AVAILABLE, an instance ACTIVE
 * (or STOPPED when the spec says so), an attach or detach operation ended, a deleted instance gone.
 * A volume attachment's id is {@code instance_id/volume_id}.
 */
final class ComputeKinds {
    private static final Set<String> GONE = Set.of("DELETED");

    private final VolumeResource volumes;
    private final InstanceResource instances;
    private final ActionResource actions;
    private final VolumeAttachmentResource attachments;
    private final OperationResource operations;
    private final Calls calls;

    ComputeKinds(VolumeResource volumes, InstanceResource instances, ActionResource actions,
            VolumeAttachmentResource attachments, OperationResource operations, Calls calls) {
        this.volumes = volumes;
        this.instances = instances;
        this.actions = actions;
        this.attachments = attachments;
        this.operations = operations;
        this.calls = calls;
    }

    JsonNode create(Kind kind, JsonNode in) {
        return switch (kind) {
            case VOLUME -> {
                JsonNode v = calls.tree(Calls.call(() -> volumes.create(in)));
                yield awaitVolume(v.path("id").asText());
            }
            case INSTANCE -> {
                JsonNode i = calls.tree(Calls.call(() -> instances.create(calls.without(in, "status"))));
                String id = i.path("id").asText();
                JsonNode settled = awaitInstance(id, Set.of("ACTIVE", "STOPPED"));
                if ("STOPPED".equals(in.path("status").asText()) && "ACTIVE".equals(settled.path("status").asText())) {
                    settled = power(id, "stop", "STOPPED");
                }
                yield settled;
            }
            case VOLUME_ATTACHMENT -> {
                String instance = in.path("instance_id").asText();
                String volume = in.path("volume_id").asText();
                ObjectNode body = JsonNodeFactory.instance.objectNode().put("volume_id", volume);
                JsonNode a = calls.tree(Calls.call(() -> attachments.attach(instance, body)));
                awaitOperation(a.path("operation_id").asText(), "attach of " + volume);
                yield read(kind, instance + "/" + volume, in).orElseThrow(() ->
                        new World.Failed("volume " + volume + " is not attached after the attach", null));
            }
            default -> throw new IllegalArgumentException(kind.wireName());
        };
    }

    Optional<JsonNode> read(Kind kind, String id, JsonNode in) {
        return switch (kind) {
            case VOLUME -> Calls.find(() -> calls.tree(volumes.get(id, null)));
            case INSTANCE -> Calls.find(() -> calls.tree(instances.get(id)))
                    .filter(i -> !GONE.contains(i.path("status").asText()));
            case VOLUME_ATTACHMENT -> {
                String instance = in.path("instance_id").asText();
                String volume = in.path("volume_id").asText();
                Optional<JsonNode> list = Calls.find(() -> calls.tree(attachments.list(instance)));
                Optional<JsonNode> found = Optional.empty();
                for (JsonNode a : list.orElse(JsonNodeFactory.instance.arrayNode())) {
                    if (volume.equals(a.path("volume_id").asText())) {
                        found = Optional.of(((ObjectNode) a.deepCopy()).put("id", instance + "/" + volume));
                    }
                }
                yield found;
            }
            default -> throw new IllegalArgumentException(kind.wireName());
        };
    }

    JsonNode update(Kind kind, String id, JsonNode in, List<Plan.Change> changes) {
        if (kind != Kind.INSTANCE) {
            throw new World.Failed(kind.wireName() + " has nothing to change in place", null);
        }
        JsonNode view = null;
        for (Plan.Change c : changes) {
            if (c.attribute().equals("name")) {
                ObjectNode patch = JsonNodeFactory.instance.objectNode().put("name", in.path("name").asText());
                view = calls.tree(Calls.call(() -> instances.update(id, null, patch)));
            } else if (c.attribute().equals("status")) {
                boolean stop = "STOPPED".equals(in.path("status").asText());
                view = power(id, stop ? "stop" : "start", stop ? "STOPPED" : "ACTIVE");
            }
        }
        return view != null ? view : read(kind, id, in).orElseThrow(() ->
                new World.Failed("instance " + id + " is gone", null));
    }

    void delete(Kind kind, String id, JsonNode in) {
        switch (kind) {
            case VOLUME -> {
                Calls.delete(() -> volumes.delete(id));
                Calls.await("delete of volume " + id, () -> read(kind, id, in).isEmpty()
                        ? Optional.of(true) : Optional.empty());
            }
            case INSTANCE -> {
                Calls.delete(() -> instances.delete(id));
                Calls.await("delete of instance " + id, () -> read(kind, id, in).isEmpty()
                        ? Optional.of(true) : Optional.empty());
            }
            case VOLUME_ATTACHMENT -> {
                if (read(kind, id, in).isPresent()) {
                    JsonNode a = calls.tree(Calls.call(() -> attachments.detach(in.path("instance_id").asText(),
                            in.path("volume_id").asText())));
                    awaitOperation(a.path("operation_id").asText(), "detach of " + in.path("volume_id").asText());
                }
            }
            default -> throw new IllegalArgumentException(kind.wireName());
        }
    }

    private JsonNode power(String id, String action, String status) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("action", action);
        Calls.call(() -> actions.act(id, body));
        return awaitInstance(id, Set.of(status));
    }

    private JsonNode awaitVolume(String id) {
        return Calls.await("volume " + id, () -> {
            JsonNode v = calls.tree(Calls.call(() -> volumes.get(id, null)));
            String s = v.path("status").asText();
            if ("ERROR".equals(s)) {
                throw new World.Failed("volume " + id + " is in ERROR: " + v.path("error").asText(), id);
            }
            return "AVAILABLE".equals(s) ? Optional.of(v) : Optional.empty();
        });
    }

    private JsonNode awaitInstance(String id, Set<String> wanted) {
        return Calls.await("instance " + id, () -> {
            JsonNode i = calls.tree(Calls.call(() -> instances.get(id)));
            String s = i.path("status").asText();
            if ("ERROR".equals(s)) {
                throw new World.Failed("instance " + id + " is in ERROR: " + i.path("fault").path("message").asText(),
                        id);
            }
            return wanted.contains(s) && i.path("task").isNull() ? Optional.of(i)
                    : wanted.contains(s) && i.path("task").isMissingNode() ? Optional.of(i) : Optional.empty();
        });
    }

    private void awaitOperation(String operationId, String what) {
        JsonNode op = Calls.await(what, () -> {
            JsonNode o = calls.tree(Calls.call(() -> operations.get(operationId)));
            return "RUNNING".equals(o.path("status").asText()) ? Optional.empty() : Optional.of(o);
        });
        if (!"SUCCEEDED".equals(op.path("status").asText())) {
            throw new World.Failed(what + " failed: " + op.path("fault").path("message").asText(), null);
        }
    }
}
