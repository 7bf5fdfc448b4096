package io.virga.devstack.testing;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InfraTestResourceTest {

    @Test
    void startsOnceAndConfiguresTheNamedDatabaseAndKafka() throws Exception {
        InfraTestResource first = new InfraTestResource();
        first.init(Map.of("database", "virga_network"));
        Map<String, String> config = first.start();

        InfraTestResource second = new InfraTestResource();
        second.init(Map.of("database", "virga_storage"));
        Map<String, String> other = second.start();

        assertEquals(config.get("virga.kafka.bootstrap-servers"), other.get("virga.kafka.bootstrap-servers"),
                "one broker per JVM");
        assertEquals(InfraTestResource.kafkaBootstrap(), config.get("virga.kafka.bootstrap-servers"));
        assertEquals(config.get("virga.kafka.bootstrap-servers"), config.get("kafka.bootstrap.servers"));
        String url = config.get("quarkus.datasource.jdbc.url");
        assertTrue(url.startsWith("jdbc:postgresql://127.0.0.1:") && url.endsWith("/virga_network"), url);
        assertEquals(url.replace("virga_network", "virga_storage"), other.get("quarkus.datasource.jdbc.url"));
        assertEquals(url, InfraTestResource.jdbcUrl("virga_network"));

        try (Connection c = DriverManager.getConnection(url, config.get("quarkus.datasource.username"),
                config.get("quarkus.datasource.password"));
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_database()")) {
            assertTrue(rs.next());
            assertEquals("virga_network", rs.getString(1));
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                InfraTestResource.kafkaBootstrap()))) {
            assertFalse(admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).isEmpty());
        }
        first.stop(); // no-op: shared until JVM exit
        assertEquals(InfraTestResource.kafkaBootstrap(), config.get("virga.kafka.bootstrap-servers"));
    }
}
