package io.virga.apiclient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.virga.client.ApiClient;
import io.virga.client.ApiException;
import io.virga.client.api.FlavorsApi;
import io.virga.client.api.ImagesApi;
import io.virga.client.api.InstancesApi;
import io.virga.client.api.NetworksApi;
import io.virga.client.api.ProjectsApi;
import io.virga.client.api.TokensApi;
import io.virga.client.model.CreateFlavor;
import io.virga.client.model.CreateImage;
import io.virga.client.model.CreateInstance;
import io.virga.client.model.CreateNetwork;
import io.virga.client.model.CreateProject;
import io.virga.client.model.CreateSubnet;
import io.virga.client.model.CreateToken;
import io.virga.client.model.Flavor;
import io.virga.client.model.ImageView;
import io.virga.client.model.InstanceView;
import io.virga.client.model.NetworkView;
import io.virga.client.model.NicRequest;
import io.virga.client.model.PageFlavor;
import io.virga.client.model.PageInstanceView;
import io.virga.client.model.SubnetView;
import io.virga.devstack.Supervisor;
import io.virga.devstack.SupervisorOptions;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document proven by use, against a whole local cloud (devstack Supervisor, three sim nodes):
 * the served document is the one the client was generated from, it passes Redocly's recommended lint
 * without errors, and the generated client runs the README walk-through (flavor, network, subnet, image
 * upload, project and member token, instance create until ACTIVE, list with pagination, delete).
 */
class ApiClientIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Supervisor supervisor;
    private static String served;

    @BeforeAll
    static void startCloud() throws Exception {
        Path root = Path.of(System.getProperty("virga.repo.root", "..")).toAbsolutePath().normalize();
        supervisor = Supervisor.start(SupervisorOptions.builder(SupervisorOptions.findRepoRoot(root))
                .home(Files.createTempDirectory("virga-client-it-"))
                .freePorts()
                .computeNodes(3)
                .heartbeatInterval(Duration.ofSeconds(1))
                .readyTimeout(Duration.ofMinutes(5))
                .durable(false)
                .progress(line -> System.out.println("client-it: " + line))
                .build());
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(supervisor.gatewayUrl() + "/openapi?format=json")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        served = r.body();
    }

    @AfterAll
    static void stopCloud() {
        if (supervisor != null) {
            supervisor.close();
        }
    }

    @Test
    void theServedDocumentIsTheOneTheClientWasGeneratedFrom() throws IOException {
        Path spec = Path.of(System.getProperty("virga.openapi.spec"));
        assertEquals(JSON.readTree(Files.readString(spec)), JSON.readTree(served),
                "the gateway serves another document than " + spec + " (generated at build time)");
    }

    @Test
    void theServedDocumentPassesTheLinterWithoutErrors() throws Exception {
        Path node = NodeTools.installed();
        Path doc = node.resolve("served-openapi.json");
        Files.writeString(doc, served);
        Path log = node.resolve("lint.log");
        Process lint = new ProcessBuilder(node.resolve("node_modules/.bin/redocly").toString(), "lint",
                "--config", node.resolve("redocly.yaml").toString(), "--format", "summary", "--max-problems", "1000",
                doc.toString())
                .directory(node.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(lint.waitFor(5, TimeUnit.MINUTES), "redocly lint took over 5 minutes");
        String out = Files.readString(log);
        System.out.println("client-it: redocly lint of the served document:\n" + out.lines()
                .filter(l -> l.startsWith("error") || l.startsWith("warning") || l.contains("Validation")
                        || l.contains("valid"))
                .reduce("", (a, b) -> a + "  " + b + "\n"));
        assertEquals(0, lint.exitValue(), "the served document has lint errors:\n" + out);
    }

    @Test
    void theGeneratedClientRunsTheReadmeWalkthrough() throws Exception {
        ApiClient admin = client(supervisor.adminToken());
        String tag = UUID.randomUUID().toString().substring(0, 6);

        // flavors: create three, then page through them two at a time
        FlavorsApi flavors = new FlavorsApi(admin);
        Flavor small = flavors.createFlavor(new CreateFlavor().name("m1.small-" + tag).vcpus(1).ramMb(512L)
                .diskGb(1), null);
        assertEquals(Long.valueOf(512), small.getRamMb());
        flavors.createFlavor(new CreateFlavor().name("m1.medium-" + tag).vcpus(2).ramMb(1024L).diskGb(1), null);
        flavors.createFlavor(new CreateFlavor().name("m1.large-" + tag).vcpus(4).ramMb(2048L).diskGb(1), null);
        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            PageFlavor page = flavors.listFlavors(cursor, 2);
            assertTrue(page.getItems().size() <= 2);
            page.getItems().forEach(f -> assertTrue(seen.add(f.getId()), "flavor listed twice: " + f.getId()));
            cursor = page.getNextCursor();
            pages++;
        } while (cursor != null);
        assertTrue(pages >= 2 && seen.size() >= 3, pages + " pages, " + seen.size() + " flavors");

        // a shared network with a subnet
        NetworksApi networks = new NetworksApi(admin);
        NetworkView net = networks.createNetwork(new CreateNetwork().name("public-" + tag).shared(true), null);
        SubnetView subnet = networks.createSubnet(net.getId(), new CreateSubnet().name("v4").cidr("10.30.0.0/24"),
                null);
        assertEquals(net.getId(), subnet.getNetworkId());

        // an image, its data uploaded
        ImagesApi images = new ImagesApi(admin);
        ImageView image = images.createImage(new CreateImage().name("tiny-" + tag).diskFormat("raw")
                .visibility("public"), null);
        File data = Files.write(Files.createTempFile("virga-image-", ".img"), new byte[64 * 1024]).toFile();
        ImageView uploaded = images.uploadImageData(image.getId(), data);
        assertEquals("ACTIVE", uploaded.getStatus());

        // a project and a member token
        String projectId = new ProjectsApi(admin).createProject(new CreateProject().name("demo-" + tag), null)
                .getId();
        String memberToken = new TokensApi(admin).createToken(projectId, new CreateToken().role("member"), null)
                .getToken();
        InstancesApi instances = new InstancesApi(client(memberToken));

        // two instances (202, BUILDING), then ACTIVE
        List<String> ids = new ArrayList<>();
        for (int n = 1; n <= 2; n++) {
            InstanceView created = instances.createInstance(new CreateInstance().name("web-" + n)
                    .flavor(small.getName()).image(image.getId()).networks(List.of(new NicRequest().network(net.getId()))),
                    null);
            assertEquals("BUILDING", String.valueOf(created.getStatus()));
            ids.add(created.getId());
        }
        for (String id : ids) {
            InstanceView active = awaitStatus(instances, id, "ACTIVE", Duration.ofMinutes(3));
            assertNotNull(active.getHost());
            assertNull(active.getFault());
            assertEquals(1, active.getAddresses().size());
        }

        // list with pagination: one per page
        PageInstanceView first = instances.listInstances(null, 1, null, null, null, null, null);
        assertEquals(1, first.getItems().size());
        assertNotNull(first.getNextCursor());
        PageInstanceView second = instances.listInstances(first.getNextCursor(), 1, null, null, null, null, null);
        assertEquals(1, second.getItems().size());
        assertNull(second.getNextCursor());
        assertEquals(Set.copyOf(ids), Set.of(first.getItems().get(0).getId(), second.getItems().get(0).getId()));

        // delete (202), until gone from the default list
        for (String id : ids) {
            InstanceView deleting = instances.deleteInstance(id);
            assertEquals(id, deleting.getId());
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!instances.listInstances(null, 100, null, null, null, null, null).getItems().isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "instances not deleted within 3 minutes");
            Thread.sleep(300);
        }
        System.out.println("client-it: the generated client ran the walk-through: 3 flavors paged by 2 over "
                + pages + " pages, network " + net.getId() + ", subnet " + subnet.getId() + ", image "
                + image.getId() + " ACTIVE, 2 instances ACTIVE, listed 1 per page, deleted");
    }

    private static InstanceView awaitStatus(InstancesApi api, String id, String status, Duration budget)
            throws ApiException, InterruptedException {
        long deadline = System.nanoTime() + budget.toNanos();
        InstanceView last;
        do {
            last = api.getInstance(id);
            if (status.equals(String.valueOf(last.getStatus()))) {
                return last;
            }
            assertTrue(!"ERROR".equals(String.valueOf(last.getStatus())), "instance " + id + " failed: " + last.getFault());
            Thread.sleep(300);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("instance " + id + " is " + last.getStatus() + " after " + budget);
    }

    /** A generated client of the test cloud's gateway sending {@code token} as a bearer token. */
    private static ApiClient client(String token) {
        ApiClient c = new ApiClient();
        c.updateBaseUri(supervisor.gatewayUrl());
        // the native library does not implement security schemes; the interceptor sends the bearer token
        c.setRequestInterceptor(b -> b.header("Authorization", "Bearer " + token));
        c.setReadTimeout(Duration.ofSeconds(60));
        return c;
    }
}
