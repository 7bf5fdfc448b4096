package io.virga.devstack;

import io.virga.devstack.fake.FakeService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The supervisor with real PostgreSQL and Kafka, and {@link FakeService} jars standing in for the services. */
class SupervisorTest {

    @TempDir
    Path tmp;
    Path repo;

    @BeforeEach
    void fakeCheckout() throws Exception {
        repo = tmp.resolve("repo");
        for (String module : List.of("network-svc", "storage-svc", "scheduler-svc", "compute-node", "api-gateway")) {
            writeFakeJar(repo.resolve(module).resolve("target/quarkus-app/quarkus-run.jar"));
        }
        Files.createDirectories(repo.resolve("devstack"));
        Files.writeString(repo.resolve("devstack/pom.xml"), "<project/>");
    }

    private SupervisorOptions.Builder options() {
        return SupervisorOptions.builder(repo).home(tmp.resolve("home")).freePorts().computeNodes(2)
                .heartbeatInterval(Duration.ofSeconds(1)).readyTimeout(Duration.ofMinutes(3)).durable(false);
    }

    @Test
    void startsEverythingWithItsPropertiesRestartsAKilledNodeAndStopsAllOnClose() throws Exception {
        List<String> progress = Collections.synchronizedList(new ArrayList<>());
        SupervisorOptions options = options().progress(progress::add).build();
        StateFile stateFile = new StateFile(options.home());
        List<Long> pids = new ArrayList<>();
        try (Supervisor stack = Supervisor.start(options)) {
            StateFile.State state = stateFile.read().orElseThrow();
            assertEquals(StateFile.Status.RUNNING, state.status());
            assertEquals(List.of("postgres", "kafka", "network-svc", "storage-svc", "scheduler-svc", "host-1", "host-2",
                    "api-gateway"), state.processes().stream().map(StateFile.Entry::name).toList());
            state.processes().forEach(e -> pids.add(e.pid()));
            assertTrue(state.processes().stream().allMatch(e -> e.state().equals("ready")), state.toString());
            assertEquals("http://127.0.0.1:" + stack.ports().of("api-gateway").http(), stack.gatewayUrl());
            assertEquals("fake-admin-token", stack.adminToken());
            try (Connection c = PgDatabases.connect(stack.ports().postgres(), "virga_scheduler")) {
                assertTrue(c.isValid(2));
            }
            assertEquals("127.0.0.1:" + stack.ports().kafka(), stack.kafkaBootstrap());
            assertAllocatedOutsideTheEphemeralRange(stack.ports());

            String log = Files.readString(stack.process("host-2").logFile());
            assertTrue(log.contains("prop virga.compute.host-name=host-2"), log);
            assertTrue(log.contains("prop virga.kafka.bootstrap-servers=" + stack.kafkaBootstrap()), log);
            assertTrue(log.contains("cwd " + repo), log);
            assertTrue(progress.stream().anyMatch(l -> l.startsWith("api-gateway ready")), progress.toString());

            ManagedProcess host1 = stack.process("host-1");
            host1.kill();
            awaitState(stateFile, "host-1", "exited (code 137)");
            ManagedProcess again = stack.restart("host-1");
            assertTrue(again.isAlive());
            assertEquals(200, again.probeReady());
            pids.add(again.pid());
        }
        assertFalse(Files.exists(stateFile.path()), "state.json removed");
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " stopped");
        }
    }

    @Test
    void withRestartCrashedChildrenThatDieAreStartedAgainAndRestartStopsAndAwaitsOne() throws Exception {
        SupervisorOptions options = options().restartCrashed(true).build();
        StateFile stateFile = new StateFile(options.home());
        try (Supervisor stack = Supervisor.start(options)) {
            long host1 = pidOf(stateFile, "host-1");
            stack.process("host-1").kill();
            long again = awaitNewReadyPid(stateFile, "host-1", host1);
            assertEquals(200, stack.process("host-1").probeReady());
            String log = Files.readString(stack.process("host-1").logFile());
            assertEquals(2, log.split("==== host-1 starting at", -1).length - 1, "the log of the crash stays: " + log);
            assertTrue(again != host1);

            long pg = pidOf(stateFile, "postgres");
            ProcessHandle.of(pg).orElseThrow().destroyForcibly();
            awaitNewReadyPid(stateFile, "postgres", pg);
            try (Connection c = PgDatabases.connect(stack.ports().postgres(), "virga_scheduler")) {
                assertTrue(c.isValid(2), "the same port and data after the restart");
            }

            long host2 = pidOf(stateFile, "host-2");
            assertEquals(0, RestartCommand.run(stateFile, "host-2", Duration.ofMinutes(3)));
            assertTrue(pidOf(stateFile, "host-2") != host2);
            assertEquals(1, RestartCommand.run(stateFile, "no-such-process", Duration.ofSeconds(5)));
        }
        assertEquals(3, RestartCommand.run(stateFile, "host-2", Duration.ofSeconds(5)), "not running");
    }

    private static long pidOf(StateFile file, String name) {
        return file.read().orElseThrow().processes().stream().filter(e -> e.name().equals(name))
                .findFirst().orElseThrow().pid();
    }

    private static long awaitNewReadyPid(StateFile file, String name, long oldPid) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            StateFile.Entry e = file.read().orElseThrow().processes().stream().filter(p -> p.name().equals(name))
                    .findFirst().orElseThrow();
            if (e.pid() != oldPid && e.state().equals("ready")) {
                return e.pid();
            }
            Thread.sleep(100);
        }
        throw new AssertionError(name + " was not started again within 3 minutes");
    }

    @Test
    void aServiceThatExitsFailsTheStartNamesItAndLeavesNothingRunning() throws InterruptedException {
        List<String> progress = Collections.synchronizedList(new ArrayList<>());
        SupervisorOptions options = options().property("storage-svc", "virga.fake.fail", "true")
                .progress(progress::add).build();
        DevstackException e = assertThrows(DevstackException.class, () -> Supervisor.start(options));
        assertTrue(e.getMessage().contains("storage-svc exited with code 3 before it was ready"), e.getMessage());
        assertTrue(e.getMessage().contains("fake failure requested"), "quotes the log: " + e.getMessage());
        assertTrue(e.getMessage().contains("storage-svc.log"), e.getMessage());
        assertFalse(Files.exists(options.home().resolve(StateFile.FILE_NAME)));
        assertTrue(Ports.isFree(portIn(progress, "postgres ready on 127\\.0\\.0\\.1:(\\d+)")), "postgres stopped");
        assertTrue(Ports.isFree(portIn(progress, "kafka ready on 127\\.0\\.0\\.1:(\\d+)")), "kafka stopped");
        // the services booting beside storage-svc (ready or not) are gone too
        assertNothingRunsFrom(tmp);
    }

    @Test
    void aServiceThatCannotBindItsPortsIsStartedAgainOnFreshOnesAndTheGatewayDialsThose() throws Exception {
        List<String> progress = Collections.synchronizedList(new ArrayList<>());
        SupervisorOptions options = options().progress(progress::add)
                .property("storage-svc", "virga.fake.fail-bind-once", tmp.resolve("bind-once").toString()).build();
        try (Supervisor stack = Supervisor.start(options)) {
            StackPorts.ServicePorts storage = stack.ports().of("storage-svc");
            String log = Files.readString(stack.process("storage-svc").logFile());
            assertTrue(log.contains("Address already in use"), log);
            List<String> httpPorts = log.lines().filter(l -> l.startsWith("prop quarkus.http.port=")).toList();
            assertEquals(2, httpPorts.size(), log);
            assertEquals("prop quarkus.http.port=" + storage.http(), httpPorts.get(1));
            assertFalse(httpPorts.get(0).equals(httpPorts.get(1)), "fresh ports: " + httpPorts);
            assertTrue(progress.stream().anyMatch(l -> l.startsWith("storage-svc could not bind")), progress.toString());
            String gateway = Files.readString(stack.process("api-gateway").logFile());
            assertTrue(gateway.contains("prop quarkus.grpc.clients.storage.port=" + storage.grpc()), gateway);
            assertEquals(200, stack.process("storage-svc").probeReady());
        }
    }

    @Test
    void fixedPortsThatAreTakenFailTheStartBeforeAnythingRuns() throws IOException {
        try (java.net.ServerSocket taken = new java.net.ServerSocket()) {
            taken.bind(new java.net.InetSocketAddress(Ports.LOOPBACK, Ports.allocate()));
            StackPorts ports = StackPorts.auto(2).with("network-svc",
                    new StackPorts.ServicePorts(taken.getLocalPort(), Ports.allocate()));
            SupervisorOptions options = options().ports(ports).build();
            DevstackException e = assertThrows(DevstackException.class, () -> Supervisor.start(options));
            assertTrue(e.getMessage().contains("port " + taken.getLocalPort() + " (network-svc http)"), e.getMessage());
            assertFalse(Files.exists(options.home().resolve("pg")), "postgres never initialized");
        }
    }

    /** Waits (a generous budget: process exit is asynchronous) until no process's command line names {@code dir}. */
    private static void assertNothingRunsFrom(Path dir) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        List<String> running;
        do {
            running = ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                    .map(h -> h.pid() + " " + h.info().commandLine().orElse(""))
                    .filter(c -> c.contains(dir.toString())).toList();
            if (running.isEmpty()) {
                return;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("still running: " + running);
    }

    private static int portIn(List<String> progress, String regex) {
        java.util.regex.Pattern p = java.util.regex.Pattern.compile(regex);
        return progress.stream().map(p::matcher).filter(java.util.regex.Matcher::find)
                .mapToInt(m -> Integer.parseInt(m.group(1))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + regex + " in " + progress));
    }

    private static void assertAllocatedOutsideTheEphemeralRange(StackPorts ports) {
        int[] ephemeral = PortAllocator.readEphemeralRange(Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
        List<Integer> all = new ArrayList<>(List.of(ports.postgres(), ports.kafka(), ports.kafkaController()));
        ports.services().values().forEach(p -> {
            all.add(p.http());
            all.add(p.grpc());
        });
        for (int port : all) {
            assertTrue(port > 0 && (port < ephemeral[0] || port > ephemeral[1]), "port " + port + " of " + ports);
        }
        assertEquals(all.size(), new java.util.HashSet<>(all).size(), "distinct: " + all);
    }

    @Test
    void aMissingJarFailsBeforeAnythingStarts() throws IOException {
        Files.delete(repo.resolve("api-gateway/target/quarkus-app/quarkus-run.jar"));
        SupervisorOptions options = options().build();
        DevstackException e = assertThrows(DevstackException.class, () -> Supervisor.start(options));
        assertTrue(e.getMessage().contains("api-gateway: missing"), e.getMessage());
        assertFalse(Files.exists(options.home().resolve("pg")), "postgres never initialized");
    }

    private static void awaitState(StateFile file, String name, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            last = file.read().orElseThrow().processes().stream().filter(e -> e.name().equals(name))
                    .findFirst().orElseThrow().state();
            if (expected.equals(last)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(name + " state " + last + ", expected " + expected);
    }

    private static void writeFakeJar(Path jar) throws IOException, URISyntaxException {
        Files.createDirectories(jar.getParent());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, FakeService.class.getName());
        Path classes = Path.of(FakeService.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String entry = FakeService.class.getName().replace('.', '/');
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
            try (var files = Files.list(classes.resolve(entry).getParent())) {
                for (Path f : files.filter(p -> p.getFileName().toString().startsWith("FakeService")).toList()) {
                    jarOut.putNextEntry(new JarEntry(classes.relativize(f).toString()));
                    Files.copy(f, jarOut);
                    jarOut.closeEntry();
                }
            }
        }
    }
}
