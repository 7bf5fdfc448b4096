package io.virga.storage.grpc;

import static io.virga.storage.testing.StorageClient.newProject;
import static io.virga.storage.testing.StorageClient.volumeRequest;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Channel;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.virga.contracts.storage.v1.DeleteVolumeRequest;
import io.virga.contracts.storage.v1.Volume;
import io.virga.devstack.testing.InfraTestResource;
import io.virga.storage.testing.StorageClient;
import io.virga.storage.testing.StorageTestEnv;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "virga_storage"))
@QuarkusTestResource(StorageTestEnv.class)
class MetricsTest {
    @GrpcClient("self")
    Channel channel;

    @TestHTTPResource("/q/metrics")
    URL metrics;

    @TestHTTPResource("/q/health/ready")
    URL ready;

    private static HttpResponse<String> get(URL url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void operationsAreCountedAndTheServiceIsReady() throws Exception {
        StorageClient client = new StorageClient(channel);
        String project = newProject();
        Volume v = client.awaitVolume(project, client.createVolume(volumeRequest(project, 1)).getId(), "AVAILABLE");
        client.blocking().deleteVolume(DeleteVolumeRequest.newBuilder().setProjectId(project).setId(v.getId()).build());
        client.activeImage(project, "private", 0, new byte[] {1, 2, 3, 4});

        String body = get(metrics).body();
        for (String name : new String[] {"virga_storage_volumes_created_total", "virga_storage_volumes_deleted_total",
                "virga_storage_image_uploaded_bytes_total", "virga_storage_image_uploads_total{outcome=\"active\""}) {
            assertTrue(body.contains(name), name + " missing from /q/metrics");
        }
        assertTrue(get(ready).statusCode() == 200, "ready");
    }
}
