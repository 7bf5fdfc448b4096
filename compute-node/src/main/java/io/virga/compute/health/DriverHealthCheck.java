package io.virga.compute.health;

import io.virga.hypervisor.Hypervisor;
import io.virga.hypervisor.HypervisorException;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the hypervisor driver answers. */
@Readiness
@Singleton
public class DriverHealthCheck implements HealthCheck {
    private final Hypervisor hypervisor;

    public DriverHealthCheck(Hypervisor hypervisor) {
        this.hypervisor = hypervisor;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("hypervisor").withData("type", hypervisor.type());
        try {
            return response.withData("guests", hypervisor.list().size()).up().build();
        } catch (HypervisorException e) {
            return response.withData("error", e.getMessage()).down().build();
        }
    }
}
