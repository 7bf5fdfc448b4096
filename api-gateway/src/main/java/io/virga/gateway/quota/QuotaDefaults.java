package io.virga.gateway.quota;

import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The limits a new project starts with ({@code virga.gateway.quota.default-*}). */
@Singleton
public class QuotaDefaults {
    private final Usage limits;

    public QuotaDefaults(
            @ConfigProperty(name = "virga.gateway.quota.default-instances", defaultValue = "10") int instances,
            @ConfigProperty(name = "virga.gateway.quota.default-vcpus", defaultValue = "20") int vcpus,
            @ConfigProperty(name = "virga.gateway.quota.default-ram-mb", defaultValue = "51200") long ramMb) {
        this.limits = new Usage(instances, vcpus, ramMb);
    }

    public Usage limits() {
        return limits;
    }
}
