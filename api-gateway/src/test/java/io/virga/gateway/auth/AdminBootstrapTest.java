package io.virga.gateway.auth;

import static io.virga.gateway.TestApi.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.virga.devstack.testing.InfraTestResource;
import io.virga.gateway.TestApi;
import io.virga.gateway.fakes.FakeServicesResource;
import io.virga.gateway.project.Project;
import io.virga.platform.db.Tx;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "virga_gateway"))
@QuarkusTestResource(value = FakeServicesResource.class, restrictToAnnotatedClass = true)
class AdminBootstrapTest {
    @Inject
    AdminBootstrap bootstrap;
    @Inject
    Tx tx;

    @Test
    void startupWroteAWorkingCloudAdminTokenWithMode600() throws Exception {
        Path file = TestApi.adminTokenFile();
        assertTrue(Files.isRegularFile(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        TestApi.asAdmin().get("/v1/hosts").then().statusCode(200);
        TestApi.asAdmin().get("/v1/projects").then().statusCode(200);
    }

    @Test
    void tokenIsStoredOnlyAsHash() {
        String secret = TestApi.adminToken();
        int plain = tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT count(*) FROM api_tokens WHERE encode(token_sha256, 'escape') LIKE ?")) {
                ps.setString(1, "%" + secret + "%");
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
        assertEquals(0, plain);
    }

    @Test
    void restartKeepsAValidTokenAndReplacesUnknownOrMissingOnes() throws Exception {
        Path file = TestApi.adminTokenFile();
        Project system = bootstrap.ensureSystemProject();
        assertEquals(system, bootstrap.ensureSystemProject(), "system project is made once");

        String before = Files.readString(file);
        assertFalse(bootstrap.ensureAdminToken(system), "a known token is kept");
        assertEquals(before, Files.readString(file));

        Files.writeString(file, "vgt_some-token-the-database-never-saw\n");
        assertTrue(bootstrap.ensureAdminToken(system), "an unknown token is replaced");
        String replaced = Files.readString(file).trim();
        assertNotEquals(before.trim(), replaced);
        as(replaced).get("/v1/hosts").then().statusCode(200);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        Files.delete(file);
        assertTrue(bootstrap.ensureAdminToken(system), "a missing file is written again");
        as(Files.readString(file).trim()).get("/v1/projects").then().statusCode(200);
    }

    @Test
    void aProjectMembersTokenInTheFileIsNotKept() throws Exception {
        Path file = TestApi.adminTokenFile();
        TestApi.TestProject p = TestApi.newProject("imposter");
        Files.writeString(file, p.admin() + "\n");
        assertTrue(bootstrap.ensureAdminToken(bootstrap.ensureSystemProject()));
        assertNotEquals(p.admin(), Files.readString(file).trim());
    }

    @Test
    void parentDirectoriesAreCreated() throws Exception {
        Path dir = Files.createTempDirectory("virga-bootstrap");
        Path file = dir.resolve("a/b/admin-token");
        AdminBootstrap.writeAtomically(file, "x\n");
        assertEquals("x\n", Files.readString(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (var s = Files.list(file.getParent())) {
            assertEquals(1, s.count(), "no temp file left behind");
        }
    }
}
