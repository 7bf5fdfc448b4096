package io.virga.gateway.audit;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.virga.contracts.compute.v1.GetGuestRequest;
import io.virga.contracts.compute.v1.Guest;
import io.virga.contracts.compute.v1.ListGuestsRequest;
import io.virga.contracts.network.v1.DeletePortRequest;
import io.virga.contracts.network.v1.GetPortRequest;
import io.virga.contracts.network.v1.ListPortsRequest;
import io.virga.contracts.network.v1.Port;
import io.virga.contracts.scheduler.v1.Host;
import io.virga.contracts.scheduler.v1.ListHostsRequest;
import io.virga.contracts.scheduler.v1.ListHostsResponse;
import io.virga.contracts.storage.v1.GetVolumeRequest;
import io.virga.contracts.storage.v1.ListVolumesRequest;
import io.virga.contracts.storage.v1.Volume;
import io.virga.gateway.audit.AuditFinding.Kind;
import io.virga.gateway.clients.ServiceClients;
import io.virga.gateway.compute.ComputeClients;
import io.virga.gateway.instance.flow.OrphanGuests;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The consistency audit: compares what api-gateway records about instances with
 * what network-svc (ports), storage-svc (volumes) and each UP compute host
 * (guests actually there) hold, and reports every disagreement as an
 * {@link AuditFinding}. Scheduler claims have their own audit
 * ({@code POST /v1/admin/placement/audit}).
 *
 * <p>The services change while the audit reads them, so every candidate is
 * confirmed before it is reported: the instance is read again from the
 * gateway's database and the resource asked for again from its service. A port
 * of an instance deleted a moment ago is gone by then, an instance created a
 * moment ago is in the database by then; neither is reported.
 *
 * <p>With {@code repair}, only what is safe is fixed ({@link Kind#repairable()}):
 * an orphan port that was created with its instance (auto-delete) is deleted;
 * an orphan guest is handed to the orphan reaper, which destroys it. Volumes are
 * never deleted by the audit: their data may matter.
 */
@ApplicationScoped
public class ConsistencyAudit {
    private static final Set<String> SETTLED = AuditStore.SETTLED;
    private static final Set<String> MOVING = Set.of("MIGRATING", "RESIZING", "VERIFY_RESIZE");

    private final AuditStore store;
    private final ServiceClients clients;
    private final ComputeClients compute;
    private final OrphanGuests orphans;
    private final DataSource dataSource;
    private final Duration deadline;

    public ConsistencyAudit(AuditStore store, ServiceClients clients, ComputeClients compute, OrphanGuests orphans,
                            DataSource dataSource,
                            @ConfigProperty(name = "virga.gateway.grpc-deadline", defaultValue = "PT10S") Duration deadline) {
        this.store = store;
        this.clients = clients;
        this.compute = compute;
        this.orphans = orphans;
        this.dataSource = dataSource;
        this.deadline = deadline;
    }

    /** Runs the whole audit; {@code repair}: also fix what is safe. */
    public AuditReport run(boolean repair) {
        String started = Instant.now().toString();
        Map<String, Integer> checked = new LinkedHashMap<>();
        List<AuditFinding> findings = new ArrayList<>();
        List<String> projects = store.projects();
        checked.put("projects", projects.size());
        int ports = 0;
        int volumes = 0;
        int instances = 0;
        for (String project : projects) {
            List<Port> projectPorts = clients.network(deadline)
                    .listPorts(ListPortsRequest.newBuilder().setProjectId(project).build()).getPortsList();
            List<Volume> projectVolumes = clients.storage(deadline)
                    .listVolumes(ListVolumesRequest.newBuilder().setProjectId(project).build()).getVolumesList();
            Map<String, AuditStore.Row> live = store.liveInstances(project);
            ports += projectPorts.size();
            volumes += projectVolumes.size();
            instances += live.size();
            checkPorts(project, projectPorts, live, repair, findings);
            checkVolumes(project, projectVolumes, live, findings);
        }
        checked.put("instances", instances);
        checked.put("ports", ports);
        checked.put("volumes", volumes);
        checkGuests(repair, findings, checked);
        return AuditReport.of(started, repair, checked, findings);
    }

    private void checkPorts(String project, List<Port> ports, Map<String, AuditStore.Row> live, boolean repair,
                            List<AuditFinding> out) {
        Set<String> held = new java.util.HashSet<>();
        for (Port p : ports) {
            held.add(p.getId());
            String owner = p.getDeviceId();
            if (owner.isEmpty() || live.containsKey(owner)) {
                continue;
            }
            AuditStore.Row now = store.instance(owner);
            if (!gone(now) || !portExists(project, p.getId())) {
                continue;
            }
            boolean fixed = false;
            if (repair && p.getAutoDelete()) {
                clients.network(deadline).deletePort(DeletePortRequest.newBuilder().setProjectId(project)
                        .setId(p.getId()).build());
                fixed = true;
            }
            out.add(new AuditFinding(Kind.ORPHAN_PORT, p.getId(), owner, project, null,
                    "port " + p.getId() + " is bound to " + owner + ", which " + AuditStore.describe(now)
                            + (p.getAutoDelete() ? "" : " (a user's port: unbind it rather than delete it)"),
                    fixed));
        }
        for (AuditStore.Row i : live.values()) {
            if (!SETTLED.contains(i.status())) {
                continue;
            }
            for (String port : i.ports()) {
                if (!held.contains(port) && store.settled(i.id()) && !portExists(project, port)) {
                    out.add(new AuditFinding(Kind.MISSING_PORT, port, i.id(), project, null,
                            i.id() + " (" + i.status() + ") records port " + port + ", which network-svc does not have",
                            false));
                }
            }
        }
    }

    private void checkVolumes(String project, List<Volume> volumes, Map<String, AuditStore.Row> live,
                              List<AuditFinding> out) {
        Set<String> held = new java.util.HashSet<>();
        for (Volume v : volumes) {
            held.add(v.getId());
            String owner = v.getOwnerId();
            if (owner.isEmpty() || "DELETING".equals(v.getStatus()) || live.containsKey(owner)) {
                continue;
            }
            AuditStore.Row now = store.instance(owner);
            if (!gone(now) || !volumeExists(project, v.getId())) {
                continue;
            }
            out.add(new AuditFinding(Kind.ORPHAN_VOLUME, v.getId(), owner, project, null,
                    "volume " + v.getId() + " (" + v.getStatus() + ") is owned by " + owner + ", which "
                            + AuditStore.describe(now) + "; delete or reset it if its data is not needed", false));
        }
        for (AuditStore.Row i : live.values()) {
            if (!SETTLED.contains(i.status())) {
                continue;
            }
            for (String volume : i.volumes()) {
                if (!held.contains(volume) && store.settled(i.id()) && !volumeExists(project, volume)) {
                    out.add(new AuditFinding(Kind.MISSING_VOLUME, volume, i.id(), project, null,
                            i.id() + " (" + i.status() + ") records volume " + volume
                                    + ", which storage-svc does not have", false));
                }
            }
        }
    }

    private void checkGuests(boolean repair, List<AuditFinding> out, Map<String, Integer> checked) {
        int hosts = 0;
        int guests = 0;
        for (Host h : upHosts()) {
            hosts++;
            List<Guest> onHost;
            try {
                onHost = compute.actions(h.getComputeEndpoint(), deadline)
                        .listGuests(ListGuestsRequest.getDefaultInstance()).getGuestsList();
            } catch (StatusRuntimeException e) {
                out.add(new AuditFinding(Kind.UNREACHABLE_HOST, h.getId(), null, null, h.getName(),
                        h.getName() + " is UP but did not list its guests: " + e.getStatus().getCode(), false));
                continue;
            }
            guests += onHost.size();
            Map<String, AuditStore.Row> placed = store.instancesOnHost(h.getId());
            Set<String> present = new java.util.HashSet<>();
            for (Guest g : onHost) {
                String id = g.getInstanceId();
                present.add(id);
                if (belongsHere(store.instance(id), h) || !guestExists(h, id)) {
                    continue;
                }
                AuditStore.Row again = store.instance(id);
                if (belongsHere(again, h)) {
                    continue;
                }
                if (repair) {
                    recordOrphan(id, h);
                }
                out.add(new AuditFinding(Kind.ORPHAN_GUEST, id, id, again == null ? null : again.projectId(),
                        h.getName(), h.getName() + " runs a guest of " + id + ", which "
                                + (again == null ? "Virga never knew" : "is " + again.status()
                                + ("DELETED".equals(again.status()) || again.hostId() == null ? ""
                                : " on another host")), repair));
            }
            for (AuditStore.Row i : placed.values()) {
                if (SETTLED.contains(i.status()) && !present.contains(i.id()) && store.settled(i.id())
                        && !guestExists(h, i.id())) {
                    out.add(new AuditFinding(Kind.MISSING_GUEST, i.id(), i.id(), i.projectId(), h.getName(),
                            i.id() + " is " + i.status() + " on " + h.getName() + ", which has no guest for it",
                            false));
                }
            }
        }
        checked.put("hosts", hosts);
        checked.put("guests", guests);
    }

    /**
     * True when a guest of instance {@code i} may rightly be on host {@code h}: the instance is not
     * DELETED and is placed there, or is between hosts or states (moving, building, deleting).
     */
    private static boolean belongsHere(AuditStore.Row i, Host h) {
        return i != null && !"DELETED".equals(i.status()) && (h.getId().equals(i.hostId())
                || MOVING.contains(i.status()) || "BUILDING".equals(i.status()) || "DELETING".equals(i.status()));
    }

    private List<Host> upHosts() {
        List<Host> up = new ArrayList<>();
        String token = "";
        do {
            ListHostsResponse page = clients.scheduler(deadline)
                    .listHosts(ListHostsRequest.newBuilder().setPageSize(1000).setPageToken(token).build());
            page.getHostsList().stream().filter(h -> "UP".equals(h.getStatus())).forEach(up::add);
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        return up;
    }

    /** True when instance {@code i}, read again, is (still) not live: never known (null), or DELETED. */
    private static boolean gone(AuditStore.Row i) {
        return i == null || "DELETED".equals(i.status());
    }

    private boolean portExists(String project, String id) {
        return exists(() -> clients.network(deadline).getPort(GetPortRequest.newBuilder().setProjectId(project)
                .setId(id).build()));
    }

    private boolean volumeExists(String project, String id) {
        return exists(() -> clients.storage(deadline).getVolume(GetVolumeRequest.newBuilder().setProjectId(project)
                .setId(id).build()));
    }

    private boolean guestExists(Host h, String instanceId) {
        return exists(() -> compute.actions(h.getComputeEndpoint(), deadline)
                .getGuest(GetGuestRequest.newBuilder().setInstanceId(instanceId).build()));
    }

    private static boolean exists(Runnable get) {
        try {
            get.run();
            return true;
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    private void recordOrphan(String instanceId, Host h) {
        try (Connection c = dataSource.getConnection()) {
            orphans.record(c, instanceId, h.getId(), h.getComputeEndpoint(), "found by the consistency audit");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record orphan guest " + instanceId + ": " + e.getMessage(), e);
        }
    }
}
