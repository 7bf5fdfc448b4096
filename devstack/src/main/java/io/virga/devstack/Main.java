package io.virga.devstack;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The devstack command line, run by the {@code virga} script:
 * <pre>
 * Main up     [--home DIR] [--repo DIR] [--nodes sim:3,qemu:1,runc:1] [--heartbeat 5s]   runs the supervisor in the foreground
 * Main status [--home DIR]                                            table of processes; exit 0 when all are healthy
 * Main down   [--home DIR]                                            stops a running supervisor (or its leftovers)
 * Main restart NAME [--home DIR]                                      stops one process; the supervisor starts it again
 * </pre>
 * {@code --repo} defaults to the working directory, {@code --home} to {@code <repo>/.virga}.
 * Exit codes: 0 ok, 1 failure, 2 usage, 3 (status) not running.
 */
public final class Main {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.exit(run(args));
    }

    static int run(String[] args) throws InterruptedException {
        if (args.length == 0) {
            return usage("missing command");
        }
        Path repo = Path.of("").toAbsolutePath();
        Path home = null;
        NodeMix nodes = null;
        Duration heartbeat = Duration.ofSeconds(5);
        int schedulerReplicas = 1;
        String target = null;
        int firstOption = 1;
        if (args[0].equals("restart")) {
            if (args.length < 2 || args[1].startsWith("--")) {
                return usage("restart needs the name of a process (./virga status lists them)");
            }
            target = args[1];
            firstOption = 2;
        }
        for (int i = firstOption; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) {
                return usage("missing value after " + args[i]);
            }
            switch (args[i]) {
                case "--home" -> home = Path.of(value);
                case "--repo" -> repo = Path.of(value).toAbsolutePath();
                case "--nodes" -> {
                    try {
                        nodes = NodeMix.parse(value);
                    } catch (IllegalArgumentException e) {
                        return usage(e.getMessage());
                    }
                }
                case "--heartbeat" -> heartbeat = parseDuration(value);
                case "--scheduler-replicas" -> {
                    try {
                        schedulerReplicas = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        return usage("--scheduler-replicas needs a number from 1 to " + StackPorts.MAX_SCHEDULERS);
                    }
                    if (schedulerReplicas < 1 || schedulerReplicas > StackPorts.MAX_SCHEDULERS) {
                        return usage("--scheduler-replicas needs a number from 1 to " + StackPorts.MAX_SCHEDULERS);
                    }
                }
                default -> {
                    return usage("unknown option " + args[i]);
                }
            }
            i++;
        }
        home = (home != null ? home : repo.resolve(".virga")).toAbsolutePath();
        return switch (args[0]) {
            case "up" -> {
                NodeMix mix = nodes != null ? nodes : NodeMix.defaults();
                say("compute nodes: %s", mix);
                yield up(mix.applyTo(SupervisorOptions.builder(repo).home(home))
                        .heartbeatInterval(heartbeat).schedulerReplicas(schedulerReplicas).progress(Main::say)
                        .restartCrashed(true).build());
            }
            case "status" -> StatusCommand.print(new StateFile(home));
            case "down" -> down(new StateFile(home));
            case "restart" -> RestartCommand.run(new StateFile(home), target, Duration.ofMinutes(10));
            default -> usage("unknown command " + args[0]);
        };
    }

    private static int up(SupervisorOptions options) throws InterruptedException {
        StateFile stateFile = new StateFile(options.home());
        Optional<StateFile.State> existing = stateFile.read();
        if (existing.isPresent()) {
            if (supervisorAlive(existing.get())) {
                say("already running (supervisor pid %d); see ./virga status", existing.get().supervisorPid());
                return 0;
            }
            say("cleaning up after a supervisor that did not stop (pid %d)", existing.get().supervisorPid());
            stopLeftovers(existing.get());
            stateFile.delete();
        }
        long start = System.nanoTime();
        Supervisor supervisor;
        try {
            supervisor = Supervisor.start(options);
        } catch (DevstackException e) {
            System.err.println("virga: " + e.getMessage());
            return 1;
        }
        say("all services ready in %.1f s; API %s", (System.nanoTime() - start) / 1e9, supervisor.gatewayUrl());
        supervisor.awaitClosed();
        return 0;
    }

    private static int down(StateFile stateFile) throws InterruptedException {
        Optional<StateFile.State> read = stateFile.read();
        if (read.isEmpty()) {
            System.out.println("not running");
            return 0;
        }
        StateFile.State state = read.get();
        Optional<ProcessHandle> supervisor = StateFile.live(state.supervisorPid(), state.supervisorStartedAt());
        if (supervisor.isPresent()) {
            supervisor.get().destroy();
            try {
                supervisor.get().onExit().get(120, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                System.err.println("supervisor did not stop within 120 s; killing what it started");
                supervisor.get().destroyForcibly();
            }
        }
        stopLeftovers(state);
        stateFile.delete();
        System.out.println("stopped");
        return 0;
    }

    static boolean supervisorAlive(StateFile.State state) {
        return StateFile.live(state.supervisorPid(), state.supervisorStartedAt()).isPresent();
    }

    /** Stops processes of a state file whose supervisor is gone, newest first. */
    private static void stopLeftovers(StateFile.State state) {
        List<StateFile.Entry> entries = new ArrayList<>(state.processes());
        Collections.reverse(entries);
        for (StateFile.Entry e : entries) {
            StateFile.live(e.pid(), e.startedAt()).ifPresent(h -> {
                if (e.name().equals("postgres")) {
                    // SIGINT = fast shutdown (SIGTERM would wait for every client to leave)
                    ChildProcesses.run(List.of("kill", "-INT", Long.toString(h.pid())), Duration.ofSeconds(5));
                }
                ChildProcesses.destroyTree(h, Duration.ofSeconds(10));
            });
        }
    }

    /** {@code 5s}, {@code 500ms}, {@code 2m}, or ISO-8601 ({@code PT5S}). */
    static Duration parseDuration(String text) {
        if (text.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
        }
        if (text.endsWith("s")) {
            return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
        }
        if (text.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
        }
        return Duration.parse(text);
    }

    static void say(String format, Object... args) {
        System.out.println(LocalTime.now().format(CLOCK) + " " + String.format(format, args));
        System.out.flush();
    }

    private static int usage(String problem) {
        System.err.println("virga devstack: " + problem);
        System.err.println("usage: Main up [--home DIR] [--repo DIR] [--nodes sim:3,qemu:1,runc:1] [--heartbeat 5s] [--scheduler-replicas 2] | status [--home DIR]"
                + " | down [--home DIR] | restart NAME [--home DIR]");
        return 2;
    }
}
