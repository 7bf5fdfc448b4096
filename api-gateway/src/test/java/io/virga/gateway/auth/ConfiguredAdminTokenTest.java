package io.virga.gateway.auth;

import static io.virga.gateway.TestApi.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.virga.devstack.testing.InfraTestResource;
import io.virga.gateway.TestApi;
import io.virga.gateway.fakes.FakeServicesResource;
import io.virga.platform.db.Tx;
import io.virga.platform.ids.Ids;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

/** {@code virga.gateway.bootstrap-admin-token}: an operator-chosen cloud-admin secret, made once. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "virga_gateway"))
@QuarkusTestResource(value = FakeServicesResource.class, restrictToAnnotatedClass = true)
class ConfiguredAdminTokenTest {
    @Inject
    ConfiguredAdminToken configured;
    @Inject
    AdminBootstrap bootstrap;
    @Inject
    TokenRepository tokens;
    @Inject
    Tx tx;

    @Test
    void aConfiguredSecretBecomesOneCloudAdminTokenHoweverOftenTheGatewayStarts() {
        String secret = TestApi.unique("vgt_compose-admin-secret");
        assertEquals(0, rowsWith(secret));
        assertEquals(ConfiguredAdminToken.Outcome.CREATED, configured.ensure(secret));
        assertEquals(ConfiguredAdminToken.Outcome.ALREADY_PRESENT, configured.ensure(secret));
        assertEquals(1, rowsWith(secret), "one row, however often it runs");
        as(secret).get("/v1/projects").then().statusCode(200);
        as(secret).get("/v1/hosts").then().statusCode(200);
    }

    @Test
    void badShapesAndOtherTokensSecretsAreRefusedAndChangeNothing() {
        String shortOne = "vgt_too-short";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> configured.ensure(shortOne));
        assertTrue(e.getMessage().contains("bootstrap-admin-token must be 20 to 256"), e.getMessage());
        String spaced = "vgt_a secret with spaces in it";
        assertThrows(IllegalArgumentException.class, () -> configured.ensure(spaced));
        assertEquals(0, rowsWith(shortOne) + rowsWith(spaced));

        TestApi.TestProject p = TestApi.newProject("not-admin");
        IllegalStateException member = assertThrows(IllegalStateException.class, () -> configured.ensure(p.member()));
        assertTrue(member.getMessage().contains("not a cloud admin's"), member.getMessage());
        assertEquals(1, rowsWith(p.member()));
        as(p.member()).get("/v1/hosts").then().statusCode(403);

        String revoked = TestApi.unique("vgt_revoked-admin-secret");
        String id = Ids.newId("t");
        String system = bootstrap.ensureSystemProject().id();
        tx.run(c -> tokens.insert(c, id, system, Role.ADMIN, "to-revoke", revoked));
        assertTrue(tokens.revoke(system, id));
        IllegalStateException gone = assertThrows(IllegalStateException.class, () -> configured.ensure(revoked));
        assertTrue(gone.getMessage().contains("revoked"), gone.getMessage());
        assertEquals(1, rowsWith(revoked));
        as(revoked).get("/v1/hosts").then().statusCode(401);
    }

    private int rowsWith(String secret) {
        return tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM api_tokens WHERE token_sha256 = ?")) {
                ps.setBytes(1, Tokens.sha256(secret));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }
}
