package io.virga.gateway.instance.fakes;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.virga.platform.ids.Ids;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The fake network, storage and scheduler services on the ports the gateway
 * is configured to call ({@link FakePortsResource}), plus three fake compute
 * nodes (host-1..3, 64 vCPUs and 48 GiB each) registered with the fake
 * scheduler. Started once per test JVM (per application class loader) on first use.
 */
public final class Fakes {
    private static Fakes instance;

    public final FakeNetwork network = new FakeNetwork();
    public final FakeStorage storage = new FakeStorage();
    public final FakeScheduler scheduler = new FakeScheduler();
    public final List<FakeCompute> computes = new ArrayList<>();
    private final List<Server> servers = new ArrayList<>();
    private final java.util.concurrent.ConcurrentLinkedQueue<FakeCompute.Mode> script =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    private Fakes(Config config) {
        servers.add(serve(config.getValue("quarkus.grpc.clients.network.port", Integer.class), network));
        servers.add(serve(config.getValue("quarkus.grpc.clients.storage.port", Integer.class), storage));
        servers.add(serve(config.getValue("quarkus.grpc.clients.scheduler.port", Integer.class), scheduler));
        String kafka = config.getValue("virga.kafka.bootstrap-servers", String.class);
        for (int n = 1; n <= 3; n++) {
            FakeCompute node = new FakeCompute(Ids.newId("h"), "host-" + n, kafka, script::poll);
            computes.add(node);
            scheduler.addHost(new FakeScheduler.Host(node.hostId(), "host-" + n, node.endpoint(), 64, 48 * 1024,
                    () -> hostTraits(node)));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::close));
    }

    /**
     * What a fake node reports to the scheduler: its capabilities and, as the sim driver, every guest kind and
     * virtualization mode.
     */
    private static java.util.Set<String> hostTraits(FakeCompute node) {
        java.util.Set<String> traits = new java.util.TreeSet<>(node.traits());
        traits.addAll(GUEST_TRAITS);
        return traits;
    }

    /** Guest kinds and virtualization modes every fake node can run (hypervisor-spi's GuestKind / VirtMode). */
    public static final java.util.Set<String> GUEST_TRAITS = java.util.Set.of("COMPUTE_GUEST_VM",
            "COMPUTE_GUEST_CONTAINER", "COMPUTE_GUEST_DESKTOP", "VIRT_MODE_FULL", "VIRT_MODE_PARA", "VIRT_MODE_HYBRID");

    /** The running fakes, started on first call with the application's configuration. */
    public static synchronized Fakes get() {
        if (instance == null) {
            instance = new Fakes(ConfigProvider.getConfig());
        }
        return instance;
    }

    /** The next spawns, on whichever nodes they land, end as given (then nodes use their own mode). */
    public void scriptSpawns(FakeCompute.Mode... outcomes) {
        script.addAll(List.of(outcomes));
    }

    /** Forgets injected failures and makes every compute node boot guests normally again. */
    public void reset() {
        script.clear();
        network.failures.clear();
        storage.failures.clear();
        scheduler.failures.clear();
        computes.forEach(c -> {
            c.failures.clear();
            c.mode(FakeCompute.Mode.RUN);
            c.capabilities(FakeCompute.ALL_TRAITS);
        });
    }

    /** The compute node of {@code hostId}. */
    public FakeCompute compute(String hostId) {
        return computes.stream().filter(c -> c.hostId().equals(hostId)).findFirst().orElseThrow();
    }

    /** Every node's guest count for {@code instanceId} (0 or 1 each). */
    public long guestsOf(String instanceId) {
        return computes.stream().filter(c -> c.guests().containsKey(instanceId)).count();
    }

    private static Server serve(int port, io.grpc.BindableService service) {
        try {
            return ServerBuilder.forPort(port).addService(service).build().start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start fake " + service.getClass().getSimpleName()
                    + " on port " + port, e);
        }
    }

    private void close() {
        servers.forEach(Server::shutdownNow);
        computes.forEach(FakeCompute::close);
    }
}
