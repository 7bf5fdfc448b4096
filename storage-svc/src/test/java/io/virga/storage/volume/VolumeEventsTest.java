package io.virga.storage.volume;

import static io.virga.storage.testing.StorageClient.newProject;
import static io.virga.storage.testing.StorageClient.volumeRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.Channel;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.virga.contracts.events.v1.VolumeChanged;
import io.virga.contracts.storage.v1.DeleteVolumeRequest;
import io.virga.contracts.storage.v1.Volume;
import io.virga.devstack.testing.InfraTestResource;
import io.virga.platform.events.CloudEvent;
import io.virga.platform.events.CloudEventCodec;
import io.virga.platform.events.ProtoJson;
import io.virga.platform.events.Topics;
import io.virga.platform.kafka.KafkaClients;
import io.virga.storage.testing.StorageClient;
import io.virga.storage.testing.StorageTestEnv;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "virga_storage"))
@QuarkusTestResource(StorageTestEnv.class)
class VolumeEventsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @GrpcClient("self")
    Channel channel;

    @ConfigProperty(name = "virga.kafka.bootstrap-servers")
    String bootstrap;

    @Test
    void createdAndDeletedEventsReachKafkaKeyedByVolumeId() throws Exception {
        StorageClient client = new StorageClient(channel);
        String project = newProject();
        Volume volume = client.createVolume(volumeRequest(project, 7).setOwnerId("i-events"));
        client.blocking().deleteVolume(DeleteVolumeRequest.newBuilder().setProjectId(project)
                .setId(volume.getId()).setForce(true).build());

        List<ConsumerRecord<String, byte[]>> mine = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = KafkaClients.consumer(bootstrap, "test-" + UUID.randomUUID())) {
            consumer.subscribe(List.of(Topics.STORAGE_VOLUMES));
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (mine.size() < 2 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (volume.getId().equals(r.key())) {
                        mine.add(r);
                    }
                }
            }
        }
        assertEquals(2, mine.size(), "events of " + volume.getId());

        CloudEvent created = CloudEventCodec.decode(mine.get(0).value());
        CloudEvent deleted = CloudEventCodec.decode(mine.get(1).value());
        JsonNode raw = MAPPER.readTree(mine.get(0).value());
        assertEquals("1.0", raw.get("specversion").asText());
        assertEquals("application/json", raw.get("datacontenttype").asText());

        assertEquals(Topics.TYPE_VOLUME_CREATED, created.type());
        assertEquals(Topics.TYPE_VOLUME_DELETED, deleted.type());
        for (CloudEvent e : List.of(created, deleted)) {
            assertEquals("/virga/storage-svc", e.source());
            assertEquals(volume.getId(), e.subject());
            assertTrue(!e.id().isEmpty());
        }
        VolumeChanged c = ProtoJson.parse(created.data(), VolumeChanged.newBuilder());
        assertEquals(VolumeChanged.newBuilder().setVolumeId(volume.getId()).setProjectId(project)
                .setOwnerId("i-events").setSizeGb(7).setStatus("IN_USE").build(), c);
        VolumeChanged d = ProtoJson.parse(deleted.data(), VolumeChanged.newBuilder());
        assertEquals("DELETED", d.getStatus());
    }
}
