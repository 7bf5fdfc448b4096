package io.virga.gateway.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.virga.gateway.auth.Caller;
import io.virga.gateway.auth.CallerScope;
import io.virga.gateway.instance.InstanceResource;
import io.virga.gateway.instance.action.ActionResource;
import io.virga.gateway.network.FloatingIpResource;
import io.virga.gateway.network.NetworkResource;
import io.virga.gateway.network.RouterResource;
import io.virga.gateway.operation.OperationResource;
import io.virga.gateway.secgroup.SecurityGroupResource;
import io.virga.gateway.volume.VolumeAttachmentResource;
import io.virga.gateway.volume.VolumeResource;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@link World} of one caller: every call goes in-process to the gateway's REST resource for the
 * kind, as that caller ({@link CallerScope}), so a stack's resources pass the same validation, quotas
 * and tenant walls as REST calls.
 */
@ApplicationScoped
public class CloudWorld {
    private static final Set<Kind> COMPUTE = Set.of(Kind.VOLUME, Kind.INSTANCE, Kind.VOLUME_ATTACHMENT);

    private final CallerScope scope;
    private final NetworkKinds network;
    private final ComputeKinds compute;

    public CloudWorld(CallerScope scope, ObjectMapper json, NetworkResource networks, SecurityGroupResource groups,
            FloatingIpResource floatingIps, RouterResource routers, VolumeResource volumes,
            InstanceResource instances, ActionResource actions, VolumeAttachmentResource attachments,
            OperationResource operations) {
        this.scope = scope;
        Calls calls = new Calls(json);
        this.network = new NetworkKinds(networks, groups, floatingIps, routers, calls);
        this.compute = new ComputeKinds(volumes, instances, actions, attachments, operations, calls);
    }

    /** The world as {@code caller} sees and changes it. */
    public World as(Caller caller) {
        return new World() {
            @Override
            public Optional<JsonNode> read(Kind kind, String id, JsonNode inputs) {
                return scope.as(caller, () -> COMPUTE.contains(kind) ? compute.read(kind, id, inputs)
                        : network.read(kind, id, inputs));
            }

            @Override
            public JsonNode create(Kind kind, JsonNode inputs) {
                return scope.as(caller, () -> COMPUTE.contains(kind) ? compute.create(kind, inputs)
                        : network.create(kind, inputs));
            }

            @Override
            public JsonNode update(Kind kind, String id, JsonNode inputs, List<Plan.Change> changes) {
                return scope.as(caller, () -> COMPUTE.contains(kind) ? compute.update(kind, id, inputs, changes)
                        : network.update(kind, id, inputs, changes));
            }

            @Override
            public void delete(Kind kind, String id, JsonNode inputs) {
                scope.as(caller, () -> {
                    if (COMPUTE.contains(kind)) {
                        compute.delete(kind, id, inputs);
                    } else {
                        network.delete(kind, id, inputs);
                    }
                    return null;
                });
            }
        };
    }
}
