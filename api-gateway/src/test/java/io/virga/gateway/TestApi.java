package io.virga.gateway;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;

/** REST helpers for gateway tests: the bootstrap admin token, projects with one token per role. */
public final class TestApi {
    private TestApi() {
    }

    public static Path adminTokenFile() {
        return Path.of(ConfigProvider.getConfig().getValue("virga.gateway.admin-token-file", String.class));
    }

    public static String adminToken() {
        try {
            return Files.readString(adminTokenFile()).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
    }

    public static RequestSpecification asAdmin() {
        return as(adminToken());
    }

    /** A fresh project with an admin, a member and a reader token. */
    public record TestProject(String id, String name, String admin, String member, String reader) {
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static TestProject newProject(String prefix) {
        String name = unique(prefix);
        String id = asAdmin().body(Map.of("name", name)).post("/v1/projects").then().statusCode(201)
                .extract().path("id");
        return new TestProject(id, name, token(id, "admin"), token(id, "member"), token(id, "reader"));
    }

    public static String token(String projectId, String role) {
        return asAdmin().body(Map.of("role", role)).post("/v1/projects/" + projectId + "/tokens").then()
                .statusCode(201).extract().path("token");
    }
}
