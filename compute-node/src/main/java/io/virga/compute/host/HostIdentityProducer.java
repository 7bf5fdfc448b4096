package io.virga.compute.host;

import io.virga.compute.config.ComputeConfig;
import io.virga.compute.config.NodeSettings;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Makes the {@link HostIdentity} bean from the state directory. */
@Singleton
public class HostIdentityProducer {

    @Produces
    @Singleton
    HostIdentity hostIdentity(ComputeConfig config) {
        NodeSettings.validate(config);
        return HostIdentity.loadOrCreate(NodeSettings.stateDir(config), config.hostName());
    }
}
