package io.virga.deploy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The key finder the compose and chart checks rely on: it accepts real keys and refuses the rest. */
class ServiceConfigKeysTest {

    @Test
    void keysFromPropertiesConfigPropertiesAndNestedOrMappedConfigMappingsAreFound() {
        ServiceConfigKeys compute = ServiceConfigKeys.of(Repo.root(), "compute-node");
        for (String env : List.of("VIRGA_COMPUTE_HOST_NAME", "VIRGA_COMPUTE_SIM_VCPUS", "VIRGA_COMPUTE_CAPACITY_RAM_MB",
                "VIRGA_NETWORK_UNDERLAY_IP", "VIRGA_KAFKA_BOOTSTRAP_SERVERS", "QUARKUS_GRPC_CLIENTS_STORAGE_HOST")) {
            assertTrue(compute.readsEnv(env), env);
        }
        ServiceConfigKeys storage = ServiceConfigKeys.of(Repo.root(), "storage-svc");
        assertTrue(storage.readsEnv("VIRGA_VOLUMES_BACKENDS_FILE_OVERSUBSCRIPTION_RATIO"), "map of groups");
        assertTrue(storage.readsEnv("VIRGA_VOLUMES_TYPES_GOLD"), "map of strings");
        assertTrue(storage.readsEnv("QUARKUS_DATASOURCE_JDBC_URL"), "a service with a database");
        assertTrue(ServiceConfigKeys.of(Repo.root(), "api-gateway").readsEnv("VIRGA_GATEWAY_BOOTSTRAP_ADMIN_TOKEN"));
    }

    @Test
    void typosAndOtherServicesKeysAreRefused() {
        ServiceConfigKeys compute = ServiceConfigKeys.of(Repo.root(), "compute-node");
        assertFalse(compute.readsEnv("VIRGA_COMPUTE_HOSTNAME"), "typo");
        assertFalse(compute.readsEnv("VIRGA_COMPUTE_SIM"), "a group is not a key");
        assertFalse(compute.readsEnv("QUARKUS_DATASOURCE_PASSWORD"), "compute-node has no database");
        assertFalse(compute.readsEnv("QUARKUS_GRPC_CLIENTS_SCHEDULER_HOST"), "no scheduler client");
        ServiceConfigKeys scheduler = ServiceConfigKeys.of(Repo.root(), "scheduler-svc");
        assertFalse(scheduler.readsEnv("VIRGA_GATEWAY_BOOTSTRAP_ADMIN_TOKEN"), "the gateway's key");
        assertFalse(scheduler.readsEnv("VIRGA_STORAGE_DATA_DIR"), "storage-svc's key");
    }
}
