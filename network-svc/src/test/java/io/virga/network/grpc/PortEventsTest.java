package io.virga.network.grpc;

import static io.virga.network.testing.Calls.call;
import static io.virga.network.testing.Calls.networkWithSubnet;
import static io.virga.network.testing.Calls.newProject;
import static io.virga.network.testing.Calls.port;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.virga.contracts.events.v1.PortChanged;
import io.virga.contracts.network.v1.DeletePortRequest;
import io.virga.contracts.network.v1.Network;
import io.virga.contracts.network.v1.NetworkServiceGrpc.NetworkServiceBlockingStub;
import io.virga.contracts.network.v1.Port;
import io.virga.devstack.testing.InfraTestResource;
import io.virga.platform.events.CloudEvent;
import io.virga.platform.events.CloudEventCodec;
import io.virga.platform.events.ProtoJson;
import io.virga.platform.events.Topics;
import io.virga.platform.kafka.KafkaClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Port changes reach the real Kafka broker as CloudEvents keyed by port id. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "virga_network"))
class PortEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @GrpcClient("self")
    NetworkServiceBlockingStub stub;

    @ConfigProperty(name = "virga.kafka.bootstrap-servers")
    String bootstrap;

    @Test
    void createdAndDeletedPortsArePublishedAsCloudEvents() throws Exception {
        String project = newProject();
        Network n = networkWithSubnet(stub, project, "10.80.0.0/24", false);
        Port p = port(stub, project, n.getId(), "i-events");
        assertEquals(1, call(stub).deletePort(DeletePortRequest.newBuilder().setProjectId(project)
                .setId(p.getId()).build()).getDeleted());

        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = KafkaClients.consumer(bootstrap, "test-" + UUID.randomUUID())) {
            consumer.subscribe(List.of(Topics.NETWORK_PORTS));
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (records.size() < 2 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(250))) {
                    if (p.getId().equals(r.key())) {
                        records.add(r);
                    }
                }
            }
        }
        assertEquals(2, records.size(), "created and deleted events of " + p.getId());

        List<String> types = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            JsonNode raw = JSON.readTree(r.value());
            assertEquals("1.0", raw.get("specversion").asText());
            assertTrue(raw.hasNonNull("id") && raw.hasNonNull("time"));
            assertEquals("application/json", raw.get("datacontenttype").asText());

            CloudEvent event = CloudEventCodec.decode(r.value());
            assertEquals("/virga/network-svc", event.source());
            assertEquals(p.getId(), event.subject());
            types.add(event.type());
            PortChanged data = ProtoJson.parse(event.data(), PortChanged.newBuilder());
            assertEquals(PortChanged.newBuilder().setPortId(p.getId()).setProjectId(project)
                    .setNetworkId(n.getId()).setDeviceId("i-events").setIpAddress(p.getIpAddress())
                    .setMacAddress(p.getMacAddress()).build(), data);
        }
        assertEquals(List.of(Topics.TYPE_PORT_CREATED, Topics.TYPE_PORT_DELETED), types,
                "one key, one partition: created before deleted");
    }
}
