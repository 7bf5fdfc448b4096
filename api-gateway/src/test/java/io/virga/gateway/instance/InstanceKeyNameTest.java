package io.virga.gateway.instance;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.virga.gateway.instance.fakes.Fakes;
import io.virga.gateway.instance.fakes.InstancesTestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Key pairs through the API, and {@code key_name} on instance create: the key's script becomes the user data the
 * spawn request carries (SpawnStep passes user data through unchanged), and the instance keeps its key.
 */
@QuarkusTest
@TestProfile(InstancesTestProfile.class)
class InstanceKeyNameTest {
    static final String ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE0aW/H75RkGEW3SikIPCumg3nlmpr3Y1NJToTBw3jc+ me@apimore";

    @Inject
    DataSource ds;
    @Inject
    InstanceRepository instances;
    @Inject
    io.virga.platform.db.Tx tx;

    Fakes fakes;
    TestCloud.Tenant tenant;
    String network;
    String image;

    @BeforeEach
    void setUp() {
        fakes = TestCloud.fakes(ds);
        tenant = TestCloud.newMember();
        network = fakes.network.addNetwork(tenant.projectId(), false, true);
        image = fakes.storage.addImage(tenant.projectId(), "ACTIVE", "qcow2", 1, false);
        TestCloud.flavor("m1.small", 1, 512, 2, "vm");
    }

    private io.restassured.specification.RequestSpecification as(String token) {
        return RestAssured.given().header("Authorization", "Bearer " + token).contentType("application/json");
    }

    @Test
    void keypairCrudAndWalls() {
        as(tenant.token()).body(Map.of("name", "laptop", "public_key", ED25519)).post("/v1/keypairs").then()
                .statusCode(201).header("Location", org.hamcrest.Matchers.endsWith("/v1/keypairs/laptop"))
                .body("fingerprint", equalTo("SHA256:dwMwW84YaUYhoOPa6iNbMYZiZvjVwBGk7k1Gv4JhJ5A"))
                .body("type", equalTo("ssh-ed25519"));
        as(tenant.token()).body(Map.of("name", "laptop", "public_key", ED25519)).post("/v1/keypairs").then()
                .statusCode(409).contentType("application/problem+json");
        as(tenant.token()).body(Map.of("name", "bad", "public_key", "ssh-ed25519 AAAA")).post("/v1/keypairs").then()
                .statusCode(400).body("errors[0].field", equalTo("public_key"));
        as(tenant.token()).body(Map.of("name", "bad name", "public_key", ED25519)).post("/v1/keypairs").then()
                .statusCode(400).body("errors[0].field", equalTo("name"));
        as(tenant.token()).get("/v1/keypairs").then().statusCode(200).body("items.size()", equalTo(1))
                .body("items[0].name", equalTo("laptop"));
        as(tenant.token()).get("/v1/keypairs/bad").then().statusCode(404);
        as(tenant.token()).get("/v1/keypairs?cursor=garbage").then().statusCode(400)
                .body("errors[0].field", equalTo("cursor"));
        TestCloud.Tenant other = TestCloud.newMember();
        as(other.token()).get("/v1/keypairs/laptop").then().statusCode(404);
        as(other.token()).delete("/v1/keypairs/laptop").then().statusCode(404);
        as(other.token()).get("/v1/keypairs").then().statusCode(200).body("items.size()", equalTo(0));
        TestCloud.Tenant reader = TestCloud.newTenant("reader");
        as(reader.token()).body(Map.of("name", "r", "public_key", ED25519)).post("/v1/keypairs").then()
                .statusCode(403);
        RestAssured.given().get("/v1/keypairs").then().statusCode(401);
        assertEquals(1, TestCloud.count(ds, "SELECT count(*) FROM keypairs WHERE project_id = ?", tenant.projectId()));
    }

    @Test
    void keyNameOnCreateDeliversTheKeyAsUserData() {
        as(tenant.token()).body(Map.of("name", "k1", "public_key", ED25519)).post("/v1/keypairs").then().statusCode(201);
        Map<String, Object> body = new HashMap<>(TestCloud.createBody("vm1", "m1.small", image, network));
        body.put("key_name", "nope");
        as(tenant.token()).body(body).post("/v1/instances").then().statusCode(400)
                .body("errors[0].field", equalTo("key_name"));
        body.put("key_name", 7);
        as(tenant.token()).body(body).post("/v1/instances").then().statusCode(400)
                .body("errors[0].field", equalTo("key_name"));
        assertEquals(0, TestCloud.count(ds, "SELECT count(*) FROM instances WHERE project_id = ?", tenant.projectId()));
        body.put("key_name", "k1");
        body.put("user_data", Base64.getEncoder().encodeToString("#!/bin/sh\necho hi\n".getBytes(StandardCharsets.UTF_8)));
        String id = as(tenant.token()).body(body).post("/v1/instances").then().statusCode(202).extract().path("id");
        String stored = text(ds, "SELECT user_data FROM instances WHERE id = ?", id);
        String script = new String(Base64.getDecoder().decode(stored), StandardCharsets.UTF_8);
        assertTrue(script.startsWith("#!/bin/sh\n"), script);
        assertTrue(script.contains("'" + ED25519 + "' >> \"$R/root/.ssh/authorized_keys\""), script);
        assertTrue(script.contains("exec \"$R/var/lib/virga/user-data.orig\""), script);
        assertEquals("k1", text(ds, "SELECT key_name FROM instance_keys WHERE instance_id = ?", id));
        // the spawn request carries that script as its user data
        assertEquals(script, io.virga.gateway.instance.flow.SpawnStepAccess.userData(
                tx.run(c -> instances.find(c, id)).orElseThrow()));
        // deleting the key pair later leaves the instance's key alone
        as(tenant.token()).delete("/v1/keypairs/k1").then().statusCode(204);
        as(tenant.token()).delete("/v1/keypairs/k1").then().statusCode(404);
        assertEquals("k1", text(ds, "SELECT key_name FROM instance_keys WHERE instance_id = ?", id));
    }

    private String text(DataSource ds, String sql, Object arg) {
        try (java.sql.Connection c = ds.getConnection(); java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, arg);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
