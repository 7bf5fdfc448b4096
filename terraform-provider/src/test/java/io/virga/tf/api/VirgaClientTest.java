package io.virga.tf.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class VirgaClientTest {
    @Test
    void aProblemIsOneLineWithEveryFieldError() throws Exception {
        var body = VirgaClient.JSON.readTree("""
                {"type": "https://virga.dev/problems/validation", "title": "Invalid request", "status": 400,
                 "detail": "flavor: flavor m1 not found (and 1 more)",
                 "errors": [{"field": "flavor", "message": "flavor m1 not found"},
                            {"field": "networks[0].network", "message": "network n-1 not found"}]}
                """);
        assertEquals("Invalid request: flavor: flavor m1 not found; networks[0].network: network n-1 not found",
                VirgaClient.problem(body));
        assertEquals("Conflict: network n-1 has ports", VirgaClient.problem(VirgaClient.JSON.readTree(
                "{\"title\": \"Conflict\", \"detail\": \"network n-1 has ports\"}")));
        assertEquals("(no body)", VirgaClient.problem(null));
    }

    @Test
    void anUnreachableApiIsAnErrorNamingTheUrl() {
        ApiError e = org.junit.jupiter.api.Assertions.assertThrows(ApiError.class,
                () -> new VirgaClient("http://127.0.0.1:1/", "t").find("/v1/networks/n-1"));
        assertEquals(0, e.status());
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith(
                "GET http://127.0.0.1:1/v1/networks/n-1: the Virga API is unreachable"), e.getMessage());
    }
}
