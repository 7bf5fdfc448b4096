package io.virga.gateway.instance.migration;

import io.virga.gateway.clients.ServiceClients;
import io.virga.gateway.compute.ComputeClients;
import io.virga.gateway.instance.InstanceRepository;
import io.virga.gateway.instance.InstanceStateWriter;
import io.virga.gateway.instance.flow.GuestDestroyer;
import io.virga.gateway.instance.flow.InstanceFlowConfig;
import io.virga.gateway.instance.flow.InstanceMetrics;
import io.virga.gateway.instance.flow.OrphanGuests;
import io.virga.gateway.operation.OperationRepository;
import io.virga.gateway.quota.QuotaService;
import jakarta.inject.Singleton;

/** What the move flows' steps work with: the service clients, the repositories, the config. */
@Singleton
public class MoveParts {
    final ServiceClients clients;
    final ComputeClients compute;
    final InstanceFlowConfig config;
    final InstanceRepository instances;
    final InstanceStateWriter writer;
    final MigrationRepository migrations;
    final OperationRepository operations;
    final QuotaService quota;
    final GuestDestroyer destroyer;

    public MoveParts(ServiceClients clients, ComputeClients compute, InstanceFlowConfig config,
                     InstanceRepository instances, InstanceStateWriter writer, MigrationRepository migrations,
                     OperationRepository operations, QuotaService quota, OrphanGuests orphans,
                     InstanceMetrics metrics) {
        this.clients = clients;
        this.compute = compute;
        this.config = config;
        this.instances = instances;
        this.writer = writer;
        this.migrations = migrations;
        this.operations = operations;
        this.quota = quota;
        this.destroyer = new GuestDestroyer(compute, orphans, config, metrics);
    }
}
