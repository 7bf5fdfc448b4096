package io.virga.network.port;

import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.Timer;
import io.virga.network.Fields;
import io.virga.network.Locking;
import io.virga.network.NetworkEventing;
import io.virga.network.NetworkMetrics;
import io.virga.network.SqlConstraints;
import io.virga.network.ipam.AddressFormatException;
import io.virga.network.ipam.Ipv4;
import io.virga.network.network.NetworkRepository;
import io.virga.network.subnet.Subnet;
import io.virga.network.subnet.SubnetRepository;
import io.virga.platform.db.Sql;
import io.virga.platform.db.Tx;
import io.virga.platform.events.Topics;
import io.virga.platform.grpc.GrpcErrors;
import io.virga.platform.ids.Ids;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import io.virga.network.quota.QuotaResource;
import io.virga.network.quota.Quotas;
import io.virga.network.secgroup.SecurityGroupRepository;
import io.virga.network.secgroup.SecurityGroupService;
import java.util.List;

/**
 * Ports: a MAC and one IP on a network the caller can see (its own or a
 * shared one). A port belongs to the project that created it; other projects
 * never see it. Every create and delete emits a PortChanged event
 * ({@code io.virga.port.created} / {@code io.virga.port.deleted}, key = port
 * id) through the outbox, in the same transaction.
 */
@ApplicationScoped
public class PortService {
    /** A port was bound to or unbound from a device (key = port id). */
    public static final String TYPE_PORT_UPDATED = "io.virga.port.updated";
    private static final int ATTEMPTS = 4;

    private final Tx tx;
    private final NetworkRepository networks;
    private final SubnetRepository subnets;
    private final PortRepository ports;
    private final PortAllocation allocation;
    private final NetworkEventing eventing;
    private final NetworkMetrics metrics;
    private final SecurityGroupService securityGroups;
    private final SecurityGroupRepository securityGroupRepository;
    private final Quotas quotas;

    public PortService(Tx tx, NetworkRepository networks, SubnetRepository subnets, PortRepository ports,
            PortAllocation allocation, NetworkEventing eventing, NetworkMetrics metrics,
            SecurityGroupService securityGroups, SecurityGroupRepository securityGroupRepository, Quotas quotas) {
        this.securityGroups = securityGroups;
        this.securityGroupRepository = securityGroupRepository;
        this.quotas = quotas;
        this.tx = tx;
        this.networks = networks;
        this.subnets = subnets;
        this.ports = ports;
        this.allocation = allocation;
        this.eventing = eventing;
        this.metrics = metrics;
    }

    /** The request of {@link #create}, as received (unvalidated; empty strings for absent fields). */
    public record NewPort(String projectId, String networkId, String deviceId, String requestId, String fixedIp,
            String subnetId, List<String> securityGroupIds) {
        /** A port in the project's default security group, from any subnet. */
        public NewPort(String projectId, String networkId, String deviceId, String requestId, String fixedIp) {
            this(projectId, networkId, deviceId, requestId, fixedIp, "", List.of());
        }
    }

    private record Created(Port port, boolean replayed) {
    }

    /**
     * Creates a port on a visible network: a fresh MAC and the lowest free
     * address of the first subnet that has one (or {@code fixed_ip}).
     *
     * <p>Idempotent on (project_id, request_id): a retry answers the port of
     * the first call, also after a crash or while the first call still runs
     * (it waits for it). A retry whose network_id, device_id or fixed_ip differ
     * from the first call is ALREADY_EXISTS; a retry after that port was
     * deleted is FAILED_PRECONDITION (a late retry never resurrects a
     * compensated port).
     *
     * <p>Errors: NOT_FOUND (network not visible), FAILED_PRECONDITION (no
     * subnet), RESOURCE_EXHAUSTED (no free address), INVALID_ARGUMENT /
     * ALREADY_EXISTS for a bad or taken fixed_ip. On any error nothing changes.
     * Concurrency: the network's subnets are row-locked while choosing the
     * address, so concurrent calls never get the same IP.
     */
    public Port create(NewPort request) {
        String projectId = Fields.projectId(request.projectId());
        String networkId = Fields.id("network_id", request.networkId());
        String deviceId = Fields.optionalName("device_id", request.deviceId());
        String requestId = Fields.requestId(request.requestId());
        long fixedIp = parseFixedIp(request.fixedIp());
        String subnetId = request.subnetId() == null ? "" : request.subnetId();
        List<String> groupIds = request.securityGroupIds() == null ? List.of() : request.securityGroupIds();
        Timer.Sample sample = Timer.start();
        for (int attempt = 1; ; attempt++) {
            try {
                Created created = tx.run(c -> createOnce(c, new Checked(projectId, networkId, deviceId, requestId,
                        fixedIp, subnetId, groupIds)));
                if (created.replayed()) {
                    metrics.portReplayed();
                } else {
                    metrics.portAllocated();
                    sample.stop(metrics.createPortTimer());
                }
                return created.port();
            } catch (RuntimeException e) {
                boolean raced = Sql.isUniqueViolation(e) && SqlConstraints.violated(e)
                        .filter(PortRepository.REQUEST_CONSTRAINT::equals).isPresent();
                if (attempt >= ATTEMPTS || !(raced || Sql.isRetryable(e))) {
                    throw e;
                }
            }
        }
    }

    /** A create request after its shape checks. */
    private record Checked(String projectId, String networkId, String deviceId, String requestId, long fixedIp,
            String subnetId, List<String> groupIds) {
    }

    private Created createOnce(Connection c, Checked r) throws SQLException {
        String projectId = r.projectId();
        String networkId = r.networkId();
        String deviceId = r.deviceId();
        long fixedIp = r.fixedIp();
        var prior = ports.findRequest(c, projectId, r.requestId());
        if (prior.isPresent()) {
            return new Created(replay(prior.get(), networkId, deviceId, fixedIp), true);
        }
        var network = networks.findVisible(c, projectId, networkId, Locking.SHARE)
                .orElseThrow(() -> GrpcErrors.notFound("network", networkId));
        if (network.external()) {
            throw GrpcErrors.invalidArgument("network_id", "network " + networkId + " is external: it carries"
                    + " router gateways and floating IPs, not ports; use a floating IP to reach a guest from it");
        }
        List<String> groupIds = securityGroups.groupsForPort(c, projectId, r.groupIds());
        quotas.reserve(c, projectId, QuotaResource.PORTS, 1);
        String requestId = r.requestId();
        String portId = Ids.newId("p");
        // first, so that a concurrent call with the same key waits for this one
        ports.insertRequest(c, projectId, requestId, portId, networkId, deviceId);
        List<Subnet> locked = subnets.listByNetwork(c, networkId, Locking.UPDATE);
        if (locked.isEmpty()) {
            throw GrpcErrors.failedPrecondition("network " + networkId + " has no subnet; add one first");
        }
        if (!r.subnetId().isEmpty()) {
            locked = locked.stream().filter(s -> s.id().equals(r.subnetId())).toList();
            if (locked.isEmpty()) {
                throw GrpcErrors.invalidArgument("subnet_id", "subnet " + r.subnetId() + " is not a subnet of network "
                        + networkId);
            }
        }
        PortAllocation.Placement placement;
        if (fixedIp >= 0) {
            placement = allocation.fixed(c, networkId, locked, fixedIp);
        } else {
            try {
                placement = allocation.lowestFree(c, locked);
            } catch (StatusRuntimeException e) {
                metrics.addressExhausted();
                throw e;
            }
        }
        Port inserted = allocation.insert(c, ports, portId, projectId, networkId, placement, deviceId);
        securityGroupRepository.addMembers(c, inserted.id(), groupIds);
        Port port = ports.find(c, projectId, inserted.id()).orElseThrow();
        eventing.append(c, Topics.NETWORK_PORTS, Topics.TYPE_PORT_CREATED, port.id(), PortEvents.changed(port));
        return new Created(port, false);
    }

    private static Port replay(PortRepository.PortRequest prior, String networkId, String deviceId, long fixedIp) {
        if (!prior.networkId().equals(networkId) || !prior.deviceId().equals(deviceId)) {
            throw GrpcErrors.alreadyExists("request_id " + prior.requestId() + " was already used for port "
                    + prior.portId() + " on network " + prior.networkId() + " for device '" + prior.deviceId()
                    + "'; use a new request_id for a different port");
        }
        Port port = prior.port().orElseThrow(() -> GrpcErrors.failedPrecondition("request_id " + prior.requestId()
                + " made port " + prior.portId() + ", which has been deleted since; use a new request_id"));
        if (fixedIp >= 0 && port.ip() != fixedIp) {
            throw GrpcErrors.alreadyExists("request_id " + prior.requestId() + " was already used for port "
                    + port.id() + " with address " + Ipv4.format(port.ip()) + ", not " + Ipv4.format(fixedIp));
        }
        return port;
    }

    private static long parseFixedIp(String text) {
        if (text == null || text.isEmpty()) {
            return -1;
        }
        try {
            return Ipv4.parse(text);
        } catch (AddressFormatException e) {
            throw GrpcErrors.invalidArgument("fixed_ip", e.getMessage());
        }
    }

    /** The project's port, else NOT_FOUND. */
    public Port get(String projectId, String id) {
        String project = Fields.projectId(projectId);
        String portId = Fields.id("id", id);
        return tx.run(c -> ports.find(c, project, portId).orElseThrow(() -> GrpcErrors.notFound("port", portId)));
    }

    /** The project's ports, oldest first, optionally of one device and/or one network. */
    public List<Port> list(String projectId, String deviceId, String networkId) {
        String project = Fields.projectId(projectId);
        String device = deviceId == null ? "" : deviceId;
        String network = networkId == null ? "" : networkId;
        return tx.run(c -> ports.list(c, project, device, network));
    }

    /**
     * Deletes the project's port and frees its address. Idempotent: a missing
     * port (or one of another project) answers 0.
     */
    public int delete(String projectId, String id) {
        String project = Fields.projectId(projectId);
        String portId = Fields.id("id", id);
        return deleted(tx.run(c -> announceDeleted(c, ports.delete(c, project, portId))));
    }

    /**
     * Deletes every port of the project the device's create made (auto
     * delete) and frees their addresses; unbinds the user's own ports bound to
     * it (they stay, unbound, with their address); answers how many were
     * deleted. Idempotent (saga compensation): a second call answers 0.
     */
    public int deleteByDevice(String projectId, String deviceId) {
        String project = Fields.projectId(projectId);
        String device = Fields.name("device_id", deviceId);
        return deleted(tx.run(c -> {
            for (Port p : ports.unbindByDevice(c, project, device)) {
                eventing.append(c, Topics.NETWORK_PORTS, TYPE_PORT_UPDATED, p.id(), PortEvents.changed(p));
            }
            return announceDeleted(c, ports.deleteByDevice(c, project, device));
        }));
    }

    /**
     * Binds the project's existing port to a device (an instance create's
     * {@code port} entry). Idempotent for the same device. NOT_FOUND when the
     * port is not the project's; FAILED_PRECONDITION when another device holds it.
     */
    public Port bind(String projectId, String portId, String deviceId) {
        String project = Fields.projectId(projectId);
        String id = Fields.id("port_id", portId);
        String device = Fields.name("device_id", deviceId);
        return tx.run(c -> {
            Port current = ports.find(c, project, id).orElseThrow(() -> GrpcErrors.notFound("port", id));
            Port bound = ports.bind(c, project, id, device).orElseThrow(() -> GrpcErrors.failedPrecondition("port "
                    + id + " is in use by " + current.deviceId()));
            if (!current.deviceId().equals(device)) {
                eventing.append(c, Topics.NETWORK_PORTS, TYPE_PORT_UPDATED, bound.id(), PortEvents.changed(bound));
            }
            return bound;
        });
    }

    private List<Port> announceDeleted(Connection c, List<Port> deleted) throws SQLException {
        for (Port p : deleted) {
            eventing.append(c, Topics.NETWORK_PORTS, Topics.TYPE_PORT_DELETED, p.id(), PortEvents.changed(p));
        }
        return deleted;
    }

    private int deleted(List<Port> deleted) {
        metrics.portsReleased(deleted.size());
        return deleted.size();
    }
}
