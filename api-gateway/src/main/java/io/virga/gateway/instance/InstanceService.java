package io.virga.gateway.instance;

import com.fasterxml.jackson.databind.JsonNode;
import io.virga.gateway.auth.Caller;
import io.virga.gateway.error.ApiException;
import io.virga.gateway.operation.Operation;
import io.virga.gateway.operation.OperationKind;
import io.virga.gateway.operation.OperationRepository;
import io.virga.gateway.quota.QuotaService;
import io.virga.gateway.quota.Usage;
import io.virga.gateway.idempotency.KeyGuard;
import io.virga.gateway.instance.flow.CreateData;
import io.virga.gateway.instance.flow.CreateFlow;
import io.virga.gateway.instance.flow.DeleteFlow;
import io.virga.gateway.instance.flow.NoData;
import io.virga.gateway.workflow.Workflows;
import io.virga.platform.db.Tx;
import io.virga.platform.ids.Ids;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Starting instance work: create and delete write the instance change, the
 * operation and the workflow in one transaction (create also reserves quota
 * and records its Idempotency-Key answer there), then wake the workflow
 * runner. The request only waits for that transaction; the workflow does the rest.
 */
@ApplicationScoped
public class InstanceService {
    private static final int CAS_RETRIES = 5;

    private final Tx tx;
    private final InstanceValidator validator;
    private final InstanceRepository instances;
    private final InstanceStateWriter writer;
    private final OperationRepository operations;
    private final Workflows workflows;
    private final CreateFlow createFlow;
    private final DeleteFlow deleteFlow;
    private final QuotaService quota;
    private final io.virga.gateway.placement.PlacementHints placement;
    private final io.virga.gateway.instance.blockdevice.BlockDeviceValidator blockDevices;
    /** key_name on create (issue 10); field-injected to keep the constructor as it is. */
    @jakarta.inject.Inject
    io.virga.gateway.keypair.GuestKeys guestKeys;

    public InstanceService(Tx tx, InstanceValidator validator, InstanceRepository instances,
                           InstanceStateWriter writer, OperationRepository operations, Workflows workflows,
                           CreateFlow createFlow, DeleteFlow deleteFlow, QuotaService quota,
                           io.virga.gateway.placement.PlacementHints placement,
                           io.virga.gateway.instance.blockdevice.BlockDeviceValidator blockDevices) {
        this.blockDevices = blockDevices;
        this.tx = tx;
        this.validator = validator;
        this.instances = instances;
        this.writer = writer;
        this.operations = operations;
        this.workflows = workflows;
        this.createFlow = createFlow;
        this.deleteFlow = deleteFlow;
        this.quota = quota;
        this.placement = placement;
    }

    /** An instance and the operation working on it. */
    public record Accepted(Instance instance, String operationId) {
    }

    /**
     * Validates, reserves quota and records the instance (BUILDING, task
     * scheduling) with its create operation and workflow, and {@code key}'s
     * answer (202, the instance, the operation's Location), all in one transaction.
     *
     * @throws ApiException 400 (bad input), 403 (quota exceeded), 503 (a service cannot validate)
     */
    public Accepted create(Caller caller, JsonNode body, KeyGuard key) {
        InstanceValidator.ValidCreate v = validator.validate(caller.projectId(), body);
        var hints = placement.validate(caller, body);
        var devices = blockDevices.validate(caller.projectId(), body, v.imageId(), v.flavor().kind());
        var guestKey = guestKeys.choose(caller.projectId(), body, v.userData());
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instance instance = new Instance(Ids.newId("i"), caller.projectId(), v.name(), v.flavor(), v.imageId(),
                v.networks(), guestKey.map(io.virga.gateway.keypair.GuestKeys.Chosen::userDataBase64)
                        .orElse(v.userData()), InstanceStatus.BUILDING, InstanceTask.SCHEDULING, null, null, null, null,
                true, 1, now, now, null, List.of(), List.of());
        String opId = Ids.newId("op");
        CreateData data = new CreateData();
        data.bootSizeGb = v.bootSizeGb();
        data.hypervisorType = v.hypervisorType();
        data.traits(v.traits());
        data.availabilityZone = hints.availabilityZone();
        data.serverGroupId = hints.serverGroupId();
        data.vnis.putAll(v.vnis());
        data.blockDevices = devices.isEmpty() ? null : devices;
        tx.run(c -> {
            quota.reserve(c, caller.projectId(), new Usage(1, v.flavor().vcpus(), v.flavor().ramMb()));
            instances.insert(c, instance);
            if (guestKey.isPresent()) {
                guestKeys.attach(c, instance.id(), guestKey.get());
            }
            writer.created(c, instance);
            operations.insert(c, opId, caller.projectId(), OperationKind.INSTANCE_CREATE, instance.id(), now);
            workflows.start(c, opId, createFlow, instance.id(), data);
            key.answer(c, 202, location(opId), InstanceView.of(instance));
            return null;
        });
        workflows.wakeUp();
        return new Accepted(instance, opId);
    }

    /**
     * Starts deleting the instance (DELETING, task deleting) unless it is
     * already being deleted or deleted, in which case the first delete's
     * operation is answered again. A create saga still running stops at its next step.
     *
     * @throws ApiException 404 when the caller's project has no such instance
     */
    public Accepted delete(Caller caller, String id) {
        for (int attempt = 1; ; attempt++) {
            try {
                Accepted accepted = tx.run(c -> startDelete(c, caller, id));
                workflows.wakeUp();
                return accepted;
            } catch (StaleInstanceException e) {
                if (attempt >= CAS_RETRIES) {
                    throw ApiException.conflict("instance " + id + " is changing; try again");
                }
            }
        }
    }

    private Accepted startDelete(Connection c, Caller caller, String id) throws SQLException {
        Instance current = instances.find(c, id).filter(i -> i.projectId().equals(caller.projectId()))
                .orElseThrow(() -> ApiException.notFound("instance", id));
        if (current.locked() && current.status() != InstanceStatus.DELETING
                && current.status() != InstanceStatus.DELETED
                && !io.virga.gateway.instance.action.ActionService.mayOverrideLock(caller)) {
            throw ApiException.conflict("instance " + id + " is locked; unlock it first (or act as an admin)");
        }
        if (current.status() == InstanceStatus.DELETING || current.status() == InstanceStatus.DELETED) {
            Operation op = operations.latestFor(c, id, OperationKind.INSTANCE_DELETE)
                    .orElseThrow(() -> new IllegalStateException("instance " + id + " is "
                            + current.status() + " without a delete operation"));
            return new Accepted(current, op.id());
        }
        Instance deleting = writer.apply(c, current, InstanceChange.of(current)
                .status(InstanceStatus.DELETING).task(InstanceTask.DELETING));
        String opId = Ids.newId("op");
        operations.insert(c, opId, caller.projectId(), OperationKind.INSTANCE_DELETE, id,
                Instant.now().truncatedTo(ChronoUnit.MICROS));
        workflows.startPreempting(c, opId, deleteFlow, id, new NoData());
        return new Accepted(deleting, opId);
    }

    /** The Location of an operation: {@code /v1/operations/{id}}. */
    public static String location(String operationId) {
        return "/v1/operations/" + operationId;
    }

    /**
     * Updates name, description, metadata and tags (PATCH), compare-and-set on
     * the version the client read when it sends {@code If-Match}.
     *
     * @param ifMatch the If-Match header (an ETag from GET), or null to update whatever the version
     * @throws ApiException 400 (bad input), 404, 409 (locked, deleted), 412 (If-Match is not the current ETag)
     */
    public Instance update(Caller caller, String id, JsonNode body, String ifMatch) {
        InstanceUpdate u = InstanceUpdate.parse(body);
        return tx.run(c -> {
            Instance current = instances.find(c, id).filter(i -> i.projectId().equals(caller.projectId()))
                    .orElseThrow(() -> ApiException.notFound("instance", id));
            if (ifMatch != null && !ifMatch.trim().equals("*") && !ifMatch.trim().equals(current.etag())) {
                throw ApiException.preconditionFailed("instance " + id + " changed: its ETag is " + current.etag()
                        + ", not " + ifMatch.trim() + "; read it again and reapply your change");
            }
            if (current.status() == InstanceStatus.DELETING || current.status() == InstanceStatus.DELETED) {
                throw ApiException.conflict("instance " + id + " is " + current.status());
            }
            if (current.locked() && !io.virga.gateway.instance.action.ActionService.mayOverrideLock(caller)) {
                throw ApiException.conflict("instance " + id + " is locked; unlock it first (or act as an admin)");
            }
            try {
                return instances.updateAttributes(c, current, u.name() != null ? u.name() : current.name(),
                        u.hasDescription() ? u.description() : current.description(),
                        u.metadata() != null ? u.metadata() : current.metadata(),
                        u.tags() != null ? u.tags() : current.tags(), current.locked());
            } catch (StaleInstanceException e) {
                throw ApiException.preconditionFailed("instance " + id + " changed while it was being updated;"
                        + " read it again and reapply your change");
            }
        });
    }

    /** The instance if the caller may see it (its project's, or any for a cloud admin). */
    public Instance get(Caller caller, String id) {
        return tx.run(c -> instances.find(c, id))
                .filter(i -> caller.cloudAdmin() || i.projectId().equals(caller.projectId()))
                .orElseThrow(() -> ApiException.notFound("instance", id));
    }

    /** The project's instances as {@code q} filters and sorts them. */
    public List<Instance> list(String projectId, InstanceListQuery q, int limit) {
        return tx.run(c -> instances.list(c, projectId, q, limit));
    }

    /** Up to {@code limit} instances of a project in creation order after {@code after} (null: from the start). */
    public List<Instance> list(String projectId, InstanceStatus status, ListCursor after, int limit) {
        return tx.run(c -> instances.list(c, projectId, status, after, limit));
    }
}
