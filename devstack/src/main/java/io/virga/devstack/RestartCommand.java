package io.virga.devstack;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code ./virga restart NAME}: stops one process of a running cloud (a service, a compute node,
 * {@code postgres} or {@code kafka}) and waits until the supervisor, which restarts children that end
 * without being asked to, reports it ready again under a new pid. PostgreSQL gets SIGINT (fast shutdown:
 * SIGTERM would wait for every client to leave), everything else SIGTERM.
 */
final class RestartCommand {
    private static final Duration POLL = Duration.ofMillis(250);

    private RestartCommand() {
    }

    /** @return the exit code: 0 restarted, 1 failed, 3 not running */
    static int run(StateFile stateFile, String name, Duration timeout) throws InterruptedException {
        Optional<StateFile.State> read = stateFile.read();
        if (read.isEmpty() || !Main.supervisorAlive(read.get())) {
            System.err.println("not running");
            return 3;
        }
        Optional<StateFile.Entry> entry = entry(read.get(), name);
        if (entry.isEmpty()) {
            System.err.println("no process " + name + "; known: "
                    + read.get().processes().stream().map(StateFile.Entry::name).toList());
            return 1;
        }
        long oldPid = entry.get().pid();
        Optional<ProcessHandle> live = StateFile.live(oldPid, entry.get().startedAt());
        if (live.isPresent()) {
            String signal = name.equals("postgres") ? "-INT" : "-TERM";
            ChildProcesses.run(List.of("kill", signal, Long.toString(oldPid)), Duration.ofSeconds(5));
        }
        Main.say("%s (pid %d) stopped; waiting for the supervisor to start it again", name, oldPid);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<StateFile.State> now = stateFile.read();
            if (now.isEmpty() || !Main.supervisorAlive(now.get())) {
                System.err.println("the supervisor stopped meanwhile");
                return 1;
            }
            Optional<StateFile.Entry> e = entry(now.get(), name);
            if (e.isPresent() && e.get().pid() != oldPid && "ready".equals(e.get().state())) {
                Main.say("%s ready again (pid %d)", name, e.get().pid());
                return 0;
            }
            Thread.sleep(POLL.toMillis());
        }
        System.err.println(name + " was not ready again within " + timeout.toSeconds() + " s; ./virga logs " + name);
        return 1;
    }

    private static Optional<StateFile.Entry> entry(StateFile.State state, String name) {
        return state.processes().stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
