package io.virga.gateway.limit;

import static io.virga.gateway.TestApi.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.virga.gateway.TestApi;
import org.junit.jupiter.api.Test;

/** Per-token limit: the 11th quick request of a token is a 429 with Retry-After; other tokens are unaffected. */
@QuarkusTest
@TestProfile(RateLimitTestProfile.class)
class RateLimitTest {
    @Test
    void eleventhRequestOfATokenIs429WithRetryAfter() {
        TestApi.TestProject p = TestApi.newProject("rl");
        int allowed = 0;
        Response limited = null;
        for (int i = 0; i < 20 && limited == null; i++) {
            Response r = as(p.member()).get("/v1/flavors");
            if (r.statusCode() == 429) {
                limited = r;
            } else {
                assertEquals(200, r.statusCode());
                allowed++;
            }
        }
        assertTrue(limited != null, "no 429 in 20 requests");
        assertTrue(allowed >= 10 && allowed <= 11, "allowed " + allowed);
        limited.then().contentType("application/problem+json").body("status", equalTo(429))
                .body("type", equalTo("https://virga.dev/problems/rate-limited"));
        assertTrue(Integer.parseInt(limited.header("Retry-After")) >= 1);
        // another token of the same project, from the same address, has its own budget
        as(p.reader()).get("/v1/flavors").then().statusCode(200);
        // no token at all is still a 401, not a 429
        io.restassured.RestAssured.given().get("/v1/flavors").then().statusCode(401);
    }
}
