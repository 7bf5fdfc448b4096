package io.virga.gateway.quota;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.virga.contracts.storage.v1.VolumeQuotas;

/**
 * Limits or usage as the quota API shows them: the gateway's own (instances, vcpus, ram_mb) and
 * block storage's (volumes, gigabytes, snapshots; -1 unlimited), which are absent when storage-svc
 * cannot answer.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QuotaFigures(int instances, int vcpus, long ramMb, Long volumes, Long gigabytes, Long snapshots) {

    static QuotaFigures limits(Usage compute, VolumeQuotas storage) {
        return storage == null ? of(compute) : new QuotaFigures(compute.instances(), compute.vcpus(), compute.ramMb(),
                storage.getLimitVolumes(), storage.getLimitGigabytes(), storage.getLimitSnapshots());
    }

    static QuotaFigures usage(Usage compute, VolumeQuotas storage) {
        return storage == null ? of(compute) : new QuotaFigures(compute.instances(), compute.vcpus(), compute.ramMb(),
                storage.getUsedVolumes(), storage.getUsedGigabytes(), storage.getUsedSnapshots());
    }

    private static QuotaFigures of(Usage compute) {
        return new QuotaFigures(compute.instances(), compute.vcpus(), compute.ramMb(), null, null, null);
    }
}
