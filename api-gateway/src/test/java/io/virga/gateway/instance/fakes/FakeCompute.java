package io.virga.gateway.instance.fakes;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.stub.StreamObserver;
import io.virga.contracts.compute.v1.ComputeServiceGrpc;
import io.virga.contracts.compute.v1.DestroyRequest;
import io.virga.contracts.compute.v1.DestroyResponse;
import io.virga.contracts.compute.v1.SpawnRequest;
import io.virga.contracts.compute.v1.SpawnResponse;
import io.virga.contracts.events.v1.InstancePowerState;
import io.virga.contracts.events.v1.PowerState;
import io.virga.platform.events.CloudEvent;
import io.virga.platform.events.Topics;
import io.virga.platform.kafka.DirectPublisher;
import io.virga.platform.kafka.KafkaClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An in-memory compute node on its own gRPC port. Spawn is idempotent on
 * instance id and answers at once; the outcome is published later as a real
 * power-state CloudEvent to the real Kafka, like a real node: RUNNING, or
 * FAILED when the node is told to fail, or nothing when told to stay silent.
 * Destroy is idempotent and publishes DELETED for a guest it had.
 *
 * <p>The synchronous power actions follow the contract: NOT_FOUND for an
 * unknown guest, UNIMPLEMENTED naming the trait when the node lacks the
 * capability ({@link #capabilities}), FAILED_PRECONDITION naming the state
 * when the guest's power state does not allow it; a guest already in the
 * asked state is left alone (idempotent). Each returns the guest's state and
 * publishes it as a power-state event.
 */
public final class FakeCompute extends ComputeServiceGrpc.ComputeServiceImplBase implements AutoCloseable {
    /** How the node answers spawns. */
    public enum Mode { RUN, FAIL, SILENT }

    /** Every capability trait the node can have. */
    public static final Set<String> ALL_TRAITS = Set.of("COMPUTE_SIM", "COMPUTE_POWER_CONTROL", "COMPUTE_PAUSE",
            "COMPUTE_SUSPEND", "COMPUTE_SNAPSHOT", "COMPUTE_REBUILD", "COMPUTE_MIGRATE", "COMPUTE_LIVE_MIGRATE");
    private volatile Set<String> traits = ALL_TRAITS;

    public final Failures failures = new Failures();
    private final String hostId;
    private final String hostName;
    private final Server server;
    private final DirectPublisher publisher;
    private final ScheduledExecutorService boots = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fake-compute-boot");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, PowerState> guests = new ConcurrentHashMap<>();
    private final Set<String> spawned = ConcurrentHashMap.newKeySet();
    private final java.util.Queue<String> actions = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private volatile Mode mode = Mode.RUN;
    private final java.util.function.Supplier<Mode> script;

    /**
     * @param script the scripted outcome of the next spawn on any node, or null to use this node's mode
     */
    public FakeCompute(String hostId, String hostName, String kafkaBootstrap,
                       java.util.function.Supplier<Mode> script) {
        this.script = script;
        this.hostId = hostId;
        this.hostName = hostName;
        this.publisher = new DirectPublisher(KafkaClients.producer(kafkaBootstrap, "fake-compute-" + hostName));
        try {
            this.server = ServerBuilder.forPort(0).addService(this).build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String endpoint() {
        return "127.0.0.1:" + server.getPort();
    }

    public String hostId() {
        return hostId;
    }

    public void mode(Mode value) {
        this.mode = value;
    }

    /** What this node's driver can do from now on (reported to the scheduler as its traits). */
    public void capabilities(Set<String> value) {
        this.traits = Set.copyOf(value);
    }

    public Set<String> traits() {
        return traits;
    }

    @Override
    public void stop(io.virga.contracts.compute.v1.StopRequest req,
                     StreamObserver<io.virga.contracts.compute.v1.GuestActionResponse> out) {
        act(out, "Stop", req.getInstanceId(), "COMPUTE_POWER_CONTROL", PowerState.SHUTDOWN,
                Set.of(PowerState.RUNNING, PowerState.PAUSED, PowerState.SUSPENDED, PowerState.CRASHED));
    }

    @Override
    public void start(io.virga.contracts.compute.v1.GuestActionRequest req,
                      StreamObserver<io.virga.contracts.compute.v1.GuestActionResponse> out) {
        act(out, "Start", req.getInstanceId(), "COMPUTE_POWER_CONTROL", PowerState.RUNNING,
                Set.of(PowerState.SHUTDOWN, PowerState.CRASHED));
    }

    @Override
    public void reboot(io.virga.contracts.compute.v1.RebootRequest req,
                       StreamObserver<io.virga.contracts.compute.v1.GuestActionResponse> out) {
        Set<PowerState> from = req.getType() == io.virga.contracts.compute.v1.RebootRequest.Type.HARD
                ? Set.of(PowerState.RUNNING, PowerState.CRASHED, PowerState.PAUSED, PowerState.SHUTDOWN)
                : Set.of(PowerState.RUNNING);
        act(out, "Reboot", req.getInstanceId(), "COMPUTE_POWER_CONTROL", PowerState.RUNNING, from, true);
    }

    @Override
    public void pause(io.virga.contracts.compute.v1.GuestActionRequest req,
                      StreamObserver<io.virga.contracts.compute.v1.GuestActionResponse> out) {
        act(out, "Pause", req.getInstanceId(), "COMPUTE_PAUSE", PowerState.PAUSED, Set.of(PowerState.RUNNING));
    }

    @Override
    public void unpause(io.virga.contracts.compute.v1.GuestActionRequest req,
                        StreamObserver<io.virga.contracts.compute.v1.GuestActionResponse> out) {
        act(out, "Unpause", req.getInstanceId(), "COMPUTE_PAUSE", PowerState.RUNNING, Set.of(PowerState.PAUSED));
    }

    @Override
    public void suspend(io.virga.contracts.compute.v1.GuestActionRequest req,
                        StreamObserver<io.virga.contracts.compute.v1.GuestActionResponse> out) {
        act(out, "Suspend", req.getInstanceId(), "COMPUTE_SUSPEND", PowerState.SUSPENDED,
                Set.of(PowerState.RUNNING, PowerState.PAUSED));
    }

    @Override
    public void resume(io.virga.contracts.compute.v1.GuestActionRequest req,
                       StreamObserver<io.virga.contracts.compute.v1.GuestActionResponse> out) {
        act(out, "Resume", req.getInstanceId(), "COMPUTE_SUSPEND", PowerState.RUNNING, Set.of(PowerState.SUSPENDED));
    }

    private void act(StreamObserver<io.virga.contracts.compute.v1.GuestActionResponse> out, String method,
                     String instanceId, String trait, PowerState to, Set<PowerState> from) {
        act(out, method, instanceId, trait, to, from, false);
    }

    /** One synchronous power action: {@code from} → {@code to}; {@code again}: also when already {@code to}. */
    private void act(StreamObserver<io.virga.contracts.compute.v1.GuestActionResponse> out, String method,
                     String instanceId, String trait, PowerState to, Set<PowerState> from, boolean again) {
        Answer.of(out, () -> {
            failures.check(method);
            if (!traits.contains(trait)) {
                throw io.grpc.Status.UNIMPLEMENTED.withDescription("this host's driver lacks " + trait)
                        .asRuntimeException();
            }
            PowerState now;
            synchronized (this) {
                now = guests.get(instanceId);
                if (now == null) {
                    throw io.virga.platform.grpc.GrpcErrors.notFound("guest", instanceId);
                }
                if (now != to || again) {
                    if (!from.contains(now) && now != to) {
                        throw io.grpc.Status.FAILED_PRECONDITION.withDescription("the guest is " + now
                                + "; " + method + " needs " + from).asRuntimeException();
                    }
                    guests.put(instanceId, to);
                }
            }
            actions.add(method + " " + instanceId);
            report(instanceId, to, "");
            return io.virga.contracts.compute.v1.GuestActionResponse.newBuilder().setGuest(
                    io.virga.contracts.compute.v1.Guest.newBuilder().setInstanceId(instanceId).setState(to)
                            .setPowerState(to.name())).build();
        });
    }

    /** The actions this node did, as "Method instance-id", oldest first. */
    public java.util.List<String> actions() {
        return java.util.List.copyOf(actions);
    }

    /** The guests this node has now, with their power state. */
    public Map<String, PowerState> guests() {
        return Map.copyOf(guests);
    }

    /** True if Spawn was ever called for {@code instanceId} on this node. */
    public boolean everSpawned(String instanceId) {
        return spawned.contains(instanceId);
    }

    @Override
    public void spawn(SpawnRequest req, StreamObserver<SpawnResponse> out) {
        Answer.of(out, () -> {
            failures.check("Spawn");
            spawned.add(req.getInstanceId());
            req.getDisksList().stream().filter(io.virga.contracts.compute.v1.Disk::getBoot).findFirst()
                    .ifPresent(d -> images.put(req.getInstanceId(), d.getImageId()));
            if (guests.putIfAbsent(req.getInstanceId(), PowerState.BUILDING) == null) {
                Mode scripted = script.get();
                Mode m = scripted != null ? scripted : mode;
                if (m != Mode.SILENT) {
                    boots.schedule(() -> finishBoot(req.getInstanceId(), m), 50, TimeUnit.MILLISECONDS);
                }
            }
            return SpawnResponse.newBuilder().setAccepted(true).setHostId(hostId).build();
        });
    }

    private void finishBoot(String instanceId, Mode m) {
        if (!guests.containsKey(instanceId)) {
            return; // destroyed while booting
        }
        if (m == Mode.RUN) {
            guests.put(instanceId, PowerState.RUNNING);
            report(instanceId, PowerState.RUNNING, "");
        } else {
            guests.remove(instanceId);
            report(instanceId, PowerState.FAILED, "injected boot failure on " + hostName);
        }
    }

    @Override
    public void destroy(DestroyRequest req, StreamObserver<DestroyResponse> out) {
        Answer.of(out, () -> {
            failures.check("Destroy");
            boolean existed = guests.remove(req.getInstanceId()) != null;
            if (existed) {
                report(req.getInstanceId(), PowerState.DELETED, "");
            }
            return DestroyResponse.newBuilder().setExisted(existed).build();
        });
    }

    /** Puts a running guest of {@code instanceId} on this node without being asked (a leftover) and reports it. */
    public void plant(String instanceId) {
        guests.put(instanceId, PowerState.RUNNING);
        report(instanceId, PowerState.RUNNING, "");
    }

    /** Publishes a power-state event for a guest, as the node would, and waits until Kafka has it. */
    public void report(String instanceId, PowerState state, String message) {
        if (guests.containsKey(instanceId) && state != PowerState.DELETED && state != PowerState.FAILED) {
            guests.put(instanceId, state);
        }
        InstancePowerState ps = InstancePowerState.newBuilder().setInstanceId(instanceId).setHostId(hostId)
                .setState(state).setMessage(message).setObservedAt(Instant.now().toString()).build();
        publisher.publish(Topics.COMPUTE_INSTANCES, CloudEvent.of("/virga/compute-node/" + hostName,
                Topics.TYPE_POWER_STATE, instanceId, ps)).join();
    }

    // ---- snapshot, rebuild, migration (the compute contract, in memory) ----

    private static final Map<String, FakeCompute> BY_NAME = new ConcurrentHashMap<>();
    /** Guests prepared here for an incoming migration: instance id → live. */
    private final Map<String, Boolean> incoming = new ConcurrentHashMap<>();
    /** The image each guest was last spawned or rebuilt from. */
    private final Map<String, String> images = new ConcurrentHashMap<>();

    private void requireTrait(String trait) {
        if (!traits.contains(trait)) {
            throw io.grpc.Status.UNIMPLEMENTED.withDescription("this host's driver lacks " + trait)
                    .asRuntimeException();
        }
    }

    private PowerState stateOf(String id) {
        PowerState now = guests.get(id);
        if (now == null) {
            throw io.virga.platform.grpc.GrpcErrors.notFound("guest", id);
        }
        return now;
    }

    private static io.virga.contracts.compute.v1.GuestActionResponse answer(String id, PowerState state) {
        return io.virga.contracts.compute.v1.GuestActionResponse.newBuilder().setGuest(
                io.virga.contracts.compute.v1.Guest.newBuilder().setInstanceId(id).setState(state)
                        .setPowerState(state.name())).build();
    }

    /** The disk image this fake writes for a guest: a text naming it, in three chunks, sha256 last. */
    private void streamDisk(String id, String method, StreamObserver<io.virga.contracts.compute.v1.DataChunk> out) {
        byte[] data = ("FAKE-DISK " + id + " from " + images.getOrDefault(id, "-") + " on " + hostName + "\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.onNext(io.virga.contracts.compute.v1.DataChunk.newBuilder()
                .setFormat(io.virga.contracts.compute.v1.DiskFormat.DISK_FORMAT_RAW)
                .setData(com.google.protobuf.ByteString.copyFrom(data, 0, 8)).build());
        try {
            failures.check(method + "Midway");
        } catch (io.grpc.StatusRuntimeException e) {
            out.onError(e);
            return;
        }
        out.onNext(io.virga.contracts.compute.v1.DataChunk.newBuilder()
                .setData(com.google.protobuf.ByteString.copyFrom(data, 8, data.length - 8)).build());
        out.onNext(io.virga.contracts.compute.v1.DataChunk.newBuilder().setLast(true).setSha256("fake").build());
        out.onCompleted();
    }

    @Override
    public void getGuest(io.virga.contracts.compute.v1.GetGuestRequest req,
                         StreamObserver<io.virga.contracts.compute.v1.Guest> out) {
        Answer.of(out, () -> {
            failures.check("GetGuest");
            PowerState s = stateOf(req.getInstanceId());
            return io.virga.contracts.compute.v1.Guest.newBuilder().setInstanceId(req.getInstanceId()).setState(s)
                    .setPowerState(s.name()).build();
        });
    }

    @Override
    public void snapshot(io.virga.contracts.compute.v1.SnapshotRequest req,
                         StreamObserver<io.virga.contracts.compute.v1.DataChunk> out) {
        try {
            failures.check("Snapshot");
            requireTrait("COMPUTE_SNAPSHOT");
            stateOf(req.getInstanceId());
        } catch (io.grpc.StatusRuntimeException e) {
            out.onError(e);
            return;
        }
        actions.add("Snapshot " + req.getInstanceId());
        streamDisk(req.getInstanceId(), "Snapshot", out);
    }

    @Override
    public void rebuild(io.virga.contracts.compute.v1.RebuildRequest req,
                        StreamObserver<io.virga.contracts.compute.v1.GuestActionResponse> out) {
        Answer.of(out, () -> {
            failures.check("Rebuild");
            requireTrait("COMPUTE_REBUILD");
            String id = req.getSpec().getInstanceId();
            if (stateOf(id) == PowerState.BUILDING) {
                throw io.grpc.Status.FAILED_PRECONDITION.withDescription("guest " + id + " is BUILDING")
                        .asRuntimeException();
            }
            String image = req.getSpec().getDisksList().stream().filter(io.virga.contracts.compute.v1.Disk::getBoot)
                    .map(io.virga.contracts.compute.v1.Disk::getImageId).findFirst().orElse("-");
            images.put(id, image);
            guests.put(id, PowerState.RUNNING);
            actions.add("Rebuild " + id + " " + image);
            report(id, PowerState.RUNNING, "rebuild");
            return answer(id, PowerState.RUNNING);
        });
    }

    @Override
    public void prepareIncoming(io.virga.contracts.compute.v1.PrepareIncomingRequest req,
                                StreamObserver<io.virga.contracts.compute.v1.PrepareIncomingResponse> out) {
        Answer.of(out, () -> {
            failures.check("PrepareIncoming");
            requireTrait(req.getLive() ? "COMPUTE_LIVE_MIGRATE" : "COMPUTE_MIGRATE");
            String id = req.getSpec().getInstanceId();
            synchronized (this) {
                Boolean live = incoming.get(id);
                if (guests.containsKey(id) && (live == null || live != req.getLive())) {
                    throw io.grpc.Status.FAILED_PRECONDITION.withDescription("guest " + id + " already exists on "
                            + hostName).asRuntimeException();
                }
                guests.putIfAbsent(id, PowerState.BUILDING);
                incoming.put(id, req.getLive());
            }
            actions.add("PrepareIncoming " + id + " " + req.getSpec().getVcpus() + " " + req.getSpec().getRamMb());
            BY_NAME.put(hostName, this);
            return io.virga.contracts.compute.v1.PrepareIncomingResponse.newBuilder().setLive(req.getLive())
                    .setUri("fake://" + hostName + "/" + id).build();
        });
    }

    @Override
    public void exportDisk(io.virga.contracts.compute.v1.GuestActionRequest req,
                           StreamObserver<io.virga.contracts.compute.v1.DataChunk> out) {
        try {
            failures.check("ExportDisk");
            requireTrait("COMPUTE_MIGRATE");
            PowerState s = stateOf(req.getInstanceId());
            if (s != PowerState.SHUTDOWN) {
                throw io.grpc.Status.FAILED_PRECONDITION.withDescription("guest " + req.getInstanceId() + " is "
                        + s + "; export needs SHUTDOWN").asRuntimeException();
            }
        } catch (io.grpc.StatusRuntimeException e) {
            out.onError(e);
            return;
        }
        streamDisk(req.getInstanceId(), "ExportDisk", out);
    }

    @Override
    public StreamObserver<io.virga.contracts.compute.v1.DataChunk> importDisk(
            StreamObserver<io.virga.contracts.compute.v1.ImportDiskResponse> out) {
        return new StreamObserver<>() {
            private String id;
            private long bytes;

            @Override
            public void onNext(io.virga.contracts.compute.v1.DataChunk c) {
                if (id == null) {
                    id = c.getInstanceId();
                }
                bytes += c.getData().size();
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
                Answer.of(out, () -> {
                    failures.check("ImportDisk");
                    if (!Boolean.FALSE.equals(incoming.get(id))) {
                        throw io.grpc.Status.FAILED_PRECONDITION.withDescription("guest " + id
                                + " is not prepared for a cold migration on " + hostName).asRuntimeException();
                    }
                    actions.add("ImportDisk " + id);
                    return io.virga.contracts.compute.v1.ImportDiskResponse.newBuilder().setBytes(bytes).build();
                });
            }
        };
    }

    @Override
    public void finishIncoming(io.virga.contracts.compute.v1.GuestActionRequest req,
                               StreamObserver<io.virga.contracts.compute.v1.GuestActionResponse> out) {
        Answer.of(out, () -> {
            failures.check("FinishIncoming");
            String id = req.getInstanceId();
            PowerState s = stateOf(id);
            if (Boolean.TRUE.equals(incoming.get(id)) && s == PowerState.BUILDING) {
                throw io.grpc.Status.FAILED_PRECONDITION.withDescription("guest " + id + " has not arrived on "
                        + hostName + " yet").asRuntimeException();
            }
            if (incoming.remove(id) == null && s != PowerState.RUNNING) {
                throw io.grpc.Status.FAILED_PRECONDITION.withDescription("guest " + id + " is " + s)
                        .asRuntimeException();
            }
            guests.put(id, PowerState.RUNNING);
            actions.add("FinishIncoming " + id);
            report(id, PowerState.RUNNING, "arrived by migration");
            return answer(id, PowerState.RUNNING);
        });
    }

    @Override
    public void migrateLive(io.virga.contracts.compute.v1.MigrateLiveRequest req,
                            StreamObserver<io.virga.contracts.compute.v1.GuestActionResponse> out) {
        Answer.of(out, () -> {
            failures.check("MigrateLive");
            requireTrait("COMPUTE_LIVE_MIGRATE");
            String id = req.getInstanceId();
            PowerState s = stateOf(id);
            if (s != PowerState.RUNNING) {
                throw io.grpc.Status.FAILED_PRECONDITION.withDescription("guest " + id + " is " + s
                        + "; live migration needs RUNNING").asRuntimeException();
            }
            String target = req.getDestinationUri().replaceFirst("^fake://", "").replaceFirst("/.*$", "");
            FakeCompute dest = BY_NAME.get(target);
            if (dest == null || !Boolean.TRUE.equals(dest.incoming.get(id))) {
                throw io.grpc.Status.FAILED_PRECONDITION.withDescription("nobody waits for " + id + " at "
                        + req.getDestinationUri()).asRuntimeException();
            }
            dest.guests.put(id, PowerState.RUNNING);
            guests.remove(id);
            actions.add("MigrateLive " + id + " " + target);
            report(id, PowerState.DELETED, "migrated live to " + req.getDestinationUri());
            return answer(id, PowerState.RUNNING);
        });
    }

    @Override
    public void close() {
        server.shutdownNow();
        boots.shutdownNow();
        publisher.close();
    }
}
