package io.virga.gateway.instance.migration;

/** The JSON form of a migration record (snake_case on the wire). */
public record MigrationView(String id, String instanceId, String projectId, String kind, String status,
                            String sourceHost, String sourceHostName, String destHost, String destHostName,
                            String oldFlavorId, String newFlavorId, String operationId, String fault,
                            String createdAt, String updatedAt) {

    public static MigrationView of(Migration m) {
        return new MigrationView(m.id(), m.instanceId(), m.projectId(), m.kind().value(), m.status().value(),
                m.source().id(), m.source().name(), m.dest() == null ? null : m.dest().id(),
                m.dest() == null ? null : m.dest().name(), m.oldFlavor().id(), m.newFlavor().id(), m.operationId(),
                m.faultMessage(), m.createdAt().toString(), m.updatedAt().toString());
    }
}
