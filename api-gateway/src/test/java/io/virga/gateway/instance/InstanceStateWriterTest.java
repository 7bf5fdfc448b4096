package io.virga.gateway.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.virga.gateway.instance.fakes.InstancesTestProfile;
import io.virga.platform.db.Tx;
import io.virga.platform.ids.Ids;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every lifecycle write is a compare-and-set checked against the declared transitions. */
@QuarkusTest
@TestProfile(InstancesTestProfile.class)
class InstanceStateWriterTest {
    @Inject
    Tx tx;
    @Inject
    InstanceRepository instances;
    @Inject
    InstanceStateWriter writer;

    String projectId;

    @BeforeEach
    void setUp() {
        projectId = TestCloud.newMember().projectId();
    }

    private Instance inserted() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instance i = new Instance(Ids.newId("i"), projectId, "cas", new FlavorSnapshot("f-000000000000", "f", 1, 512,
                1, "vm", "hybrid"), "img-000000000000", List.of("n-000000000000"), null, InstanceStatus.BUILDING,
                InstanceTask.SCHEDULING, null, null, null, null, true, 1, now, now, null, List.of(), List.of());
        tx.run(c -> {
            instances.insert(c, i);
            return null;
        });
        return i;
    }

    private Instance reload(String id) {
        return tx.run(c -> instances.find(c, id)).orElseThrow();
    }

    @Test
    void aWriteFromAStaleReadLoses() {
        Instance read1 = inserted();
        Instance read2 = reload(read1.id());
        tx.run(c -> writer.apply(c, read1, InstanceChange.of(read1).task(InstanceTask.NETWORKING)));
        assertThrows(StaleInstanceException.class, () -> tx.run(c -> writer.apply(c, read2,
                InstanceChange.of(read2).status(InstanceStatus.ERROR).fault(new Fault("x", "y")))));
        Instance now = reload(read1.id());
        assertEquals(InstanceStatus.BUILDING, now.status());
        assertEquals(InstanceTask.NETWORKING, now.task());
        assertEquals(2, now.version());
    }

    @Test
    void anUndeclaredTransitionIsRefusedAndChangesNothing() {
        Instance i = inserted();
        IllegalTransitionException e = assertThrows(IllegalTransitionException.class, () -> tx.run(c ->
                writer.apply(c, i, InstanceChange.of(i).status(InstanceStatus.STOPPED))));
        assertEquals(InstanceStatus.BUILDING, e.from());
        assertEquals(1, reload(i.id()).version());
    }

    @Test
    void theDatabaseRefusesAnActiveInstanceWithoutHost() {
        Instance i = inserted();
        assertThrows(RuntimeException.class, () -> tx.run(c ->
                writer.apply(c, i, InstanceChange.of(i).status(InstanceStatus.ACTIVE))));
        assertEquals(InstanceStatus.BUILDING, reload(i.id()).status());
    }

    @Test
    void ofManyConcurrentWritersFromTheSameReadExactlyOneWins() throws Exception {
        Instance read = inserted();
        int writers = 8;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int n = 0; n < writers; n++) {
                Fault fault = new Fault("writer " + n, "Test");
                Callable<Boolean> write = () -> {
                    go.await();
                    try {
                        tx.run(c -> writer.apply(c, read, InstanceChange.of(read).status(InstanceStatus.ERROR)
                                .task(null).fault(fault)));
                        return true;
                    } catch (StaleInstanceException e) {
                        return false;
                    }
                };
                results.add(pool.submit(write));
            }
            go.countDown();
            int wins = 0;
            for (Future<Boolean> f : results) {
                wins += f.get() ? 1 : 0;
            }
            assertEquals(1, wins);
            assertEquals(2, reload(read.id()).version());
        } finally {
            pool.shutdownNow();
        }
    }
}
