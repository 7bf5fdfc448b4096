package io.virga.e2e;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

/** A tiny client of Virga's public REST API for the end-to-end tests: one per token. */
final class Api {
    private final String baseUrl;
    private final String token;
    private final String projectId;

    Api(String baseUrl, String token, String projectId) {
        this.baseUrl = baseUrl;
        this.token = token;
        this.projectId = projectId;
    }

    /** The same API as another caller: {@code otherToken} of project {@code otherProject}. */
    Api as(String otherToken, String otherProject) {
        return new Api(baseUrl, otherToken, otherProject);
    }

    /** The project of this caller's token (null for the bootstrap admin). */
    String projectId() {
        return projectId;
    }

    RequestSpecification request() {
        // every exchange is checked against the served OpenAPI document (a violation fails the test)
        RequestSpecification spec = given().baseUri(baseUrl).accept(ContentType.JSON)
                .filter(OpenApiContract.of(baseUrl));
        return token == null ? spec : spec.header("Authorization", "Bearer " + token);
    }

    Response get(String path) {
        return request().get(path);
    }

    Response post(String path, Object body) {
        return request().contentType(ContentType.JSON).body(body).post(path);
    }

    Response delete(String path) {
        return request().delete(path);
    }

    /** POSTs and returns the created resource's id, failing the test unless the status is {@code expected}. */
    String create(String path, Map<String, ?> body, int expected) {
        return post(path, body).then().statusCode(expected).extract().path("id");
    }

    /**
     * Polls {@code GET path} until {@code done} holds for the response (or the
     * timeout passes, failing the test with the last body).
     */
    Response await(String path, Duration timeout, Predicate<Response> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Response last;
        do {
            last = get(path);
            if (done.test(last)) {
                return last;
            }
            sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("timed out after " + timeout + " waiting on " + path + "; last answer "
                + last.statusCode() + ": " + last.asString());
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
