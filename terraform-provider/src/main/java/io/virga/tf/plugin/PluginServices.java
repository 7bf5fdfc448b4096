package io.virga.tf.plugin;

import io.grpc.stub.StreamObserver;
import io.virga.tf.protocol.GRPCControllerGrpc;
import io.virga.tf.protocol.GoPlugin;
import io.virga.tf.protocol.HealthGrpc;
import io.virga.tf.protocol.HealthProto;

/** The services go-plugin expects beside the provider: health ("plugin" is SERVING) and the controller. */
final class PluginServices {
    private PluginServices() {
    }

    static final class Health extends HealthGrpc.HealthImplBase {
        @Override
        public void check(HealthProto.HealthCheckRequest request,
                StreamObserver<HealthProto.HealthCheckResponse> out) {
            out.onNext(HealthProto.HealthCheckResponse.newBuilder()
                    .setStatus(HealthProto.HealthCheckResponse.ServingStatus.SERVING).build());
            out.onCompleted();
        }
    }

    /** {@code Shutdown}: answers, then runs {@code onShutdown} (which stops the server and the JVM). */
    static final class Controller extends GRPCControllerGrpc.GRPCControllerImplBase {
        private final Runnable onShutdown;

        Controller(Runnable onShutdown) {
            this.onShutdown = onShutdown;
        }

        @Override
        public void shutdown(GoPlugin.Empty request, StreamObserver<GoPlugin.Empty> out) {
            out.onNext(GoPlugin.Empty.getDefaultInstance());
            out.onCompleted();
            onShutdown.run();
        }
    }
}
