package io.virga.gateway.instance;

import static io.virga.gateway.instance.TestCloud.createBody;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.virga.contracts.network.v1.Port;
import io.virga.gateway.instance.fakes.Fakes;
import io.virga.gateway.instance.fakes.InstancesTestProfile;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code networks[]} entries on instance create: {@code fixed_ip} and
 * {@code port} are honoured; unknown keys and bad values are a 400 naming the
 * field, and a refused create changes nothing (issue 8, point 4).
 */
@QuarkusTest
@TestProfile(InstancesTestProfile.class)
class InstanceNicEntriesTest {
    @Inject
    DataSource ds;

    Fakes fakes;
    TestCloud.Tenant tenant;
    String network;
    String image;
    /** The first three octets of the network's /24, e.g. {@code 10.101.0.}. */
    String prefix;

    @BeforeEach
    void setUp() {
        fakes = TestCloud.fakes(ds);
        tenant = TestCloud.newMember();
        network = fakes.network.addNetwork(tenant.projectId(), false, true);
        image = fakes.storage.addImage(tenant.projectId(), "ACTIVE", "qcow2", 1, false);
        TestCloud.flavor("m1.small", 1, 512, 2, "vm");
        String ip = fakes.network.addUserPort(tenant.projectId(), network).getIpAddress();
        prefix = ip.substring(0, ip.lastIndexOf('.') + 1);
    }

    private Map<String, Object> body(Map<String, Object> entry) {
        Map<String, Object> b = new HashMap<>(createBody("nic", "m1.small", image, network));
        b.put("networks", List.of(entry));
        return b;
    }

    private void refused(Map<String, Object> entry, String field, String message) {
        int ports = fakes.network.portCount();
        long instances = TestCloud.count(ds, "SELECT count(*) FROM instances WHERE project_id = ?",
                tenant.projectId());
        Response r = tenant.post("/v1/instances", body(entry));
        r.then().statusCode(400).contentType(startsWith("application/problem+json"));
        List<String> fields = r.path("errors.field");
        List<String> messages = r.path("errors.message");
        assertTrue(fields.contains(field), r.asString());
        assertTrue(messages.stream().anyMatch(m -> m.contains(message)), r.asString());
        assertEquals(instances, TestCloud.count(ds, "SELECT count(*) FROM instances WHERE project_id = ?",
                tenant.projectId()));
        assertEquals(ports, fakes.network.portCount());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "bad address      | fixed_ip | 300.1.1.1 | networks[0].fixed_ip | must be an IPv4 address",
        "unknown key mac  | mac      | zz        | networks[0].mac      | unknown field",
        "outside subnet   | fixed_ip | 192.0.2.7 | networks[0].fixed_ip | is not inside a subnet of network",
        "the gateway      | fixed_ip | GW        | networks[0].fixed_ip | is the gateway address",
        "unknown port     | port     | p-nope    | networks[0].port     | port p-nope not found",
    })
    void badEntriesAreA400NamingTheFieldAndChangeNothing(String why, String key, String value, String field,
            String message) {
        Map<String, Object> entry = new HashMap<>(Map.of("network", network));
        entry.put(key, "GW".equals(value) ? prefix + "1" : value);
        refused(entry, field, message);
    }

    @Test
    void aPortInUseOrWithAFixedIpOrOnAnotherNetworkIsRefused() {
        Port busy = fakes.network.addUserPort(tenant.projectId(), network);
        String id = tenant.post("/v1/instances", body(Map.of("port", busy.getId()))).path("id");
        tenant.awaitStatus(id, "ACTIVE");
        refused(Map.of("port", busy.getId()), "networks[0].port", "is in use by " + id);
        Port free = fakes.network.addUserPort(tenant.projectId(), network);
        refused(Map.of("port", free.getId(), "fixed_ip", prefix + "50"), "networks[0].fixed_ip", "not both");
        String other = fakes.network.addNetwork(tenant.projectId(), false, true);
        refused(Map.of("port", free.getId(), "network", other), "networks[0].network", "is on network " + network);
    }

    @Test
    void aFixedIpIsHonoured() {
        String id = tenant.post("/v1/instances", body(Map.of("network", network, "fixed_ip", prefix + "77")))
                .path("id");
        Response active = tenant.awaitStatus(id, "ACTIVE");
        assertEquals(prefix + "77", active.path("addresses[0].ip"));
    }

    @Test
    void anExistingPortIsBoundAndOnlyUnboundWhenTheInstanceGoes() {
        Port mine = fakes.network.addUserPort(tenant.projectId(), network);
        String id = tenant.post("/v1/instances", body(Map.of("port", mine.getId()))).path("id");
        Response active = tenant.awaitStatus(id, "ACTIVE");
        assertEquals(mine.getId(), active.path("addresses[0].port"));
        assertEquals(mine.getIpAddress(), active.path("addresses[0].ip"));
        assertEquals(id, fakes.network.port(mine.getId()).getDeviceId());
        tenant.api().delete("/v1/instances/" + id).then().statusCode(202);
        tenant.awaitStatus(id, "DELETED");
        Port after = fakes.network.port(mine.getId());
        assertNotNull(after, "the user's port outlives the instance");
        assertEquals("", after.getDeviceId());
    }
}
