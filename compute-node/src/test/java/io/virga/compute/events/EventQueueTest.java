package io.virga.compute.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.virga.contracts.events.v1.InstancePowerState;
import io.virga.platform.events.CloudEvent;
import io.virga.platform.kafka.DirectPublisher;
import io.virga.platform.kafka.KafkaClients;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The node's event queue is bounded and says so when full (Kafka away: nothing is ever taken). */
class EventQueueTest {

    static CloudEvent event(String id) {
        return CloudEvent.of("/test", "io.virga.instance.power-state", id,
                InstancePowerState.newBuilder().setInstanceId(id).build());
    }

    @Test
    void aFullQueueRefusesEventsNamingWhatIsFull() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        EventSender sender = new EventSender(new DirectPublisher(KafkaClients.producer("127.0.0.1:" + closedPort,
                "event-queue-test")), "test-sender", 2);
        try {
            // the sender thread takes at most one event into its (endless) delivery attempt, whenever it gets
            // to run (on a busy machine maybe only after the queue filled up): fill it while it has room
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (sender.hasRoom() && System.nanoTime() < deadline) {
                sender.send("t", event("i-more"));
            }
            assertFalse(sender.hasRoom());
            EventQueueFullException e = assertThrows(EventQueueFullException.class, () -> sender.send("t", event("i-9")));
            assertTrue(e.getMessage().startsWith("the event queue is full (2 events wait for Kafka"), e.getMessage());
            assertTrue(e.getMessage().endsWith("cannot send io.virga.instance.power-state i-9"), e.getMessage());
            assertEquals(1, sender.rejected());
        } finally {
            sender.close(Duration.ofMillis(100));
        }
    }
}
