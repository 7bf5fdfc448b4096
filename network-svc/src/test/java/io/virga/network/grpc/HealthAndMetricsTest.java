package io.virga.network.grpc;

import static io.restassured.RestAssured.given;
import static io.virga.network.testing.Calls.networkWithSubnet;
import static io.virga.network.testing.Calls.newProject;
import static io.virga.network.testing.Calls.port;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.virga.contracts.network.v1.Network;
import io.virga.contracts.network.v1.NetworkServiceGrpc.NetworkServiceBlockingStub;
import io.virga.devstack.testing.InfraTestResource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "virga_network"))
class HealthAndMetricsTest {

    @GrpcClient("self")
    NetworkServiceBlockingStub stub;

    @Test
    void readyWithDatabaseAndEventing() {
        given().get("/q/health/ready").then().statusCode(200)
                .body(containsString("network-eventing"))
                .body(containsString("\"status\": \"UP\""));
    }

    @Test
    void portAllocationsAreCounted() {
        String project = newProject();
        Network n = networkWithSubnet(stub, project, "10.90.0.0/24", false);
        port(stub, project, n.getId(), "");
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("virga_network_ports_allocated_total"))
                .body(containsString("virga_network_create_port_seconds_count"));
    }
}
