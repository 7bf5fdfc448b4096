package io.virga.tf.provider;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import io.virga.tf.api.ApiError;
import io.virga.tf.api.VirgaClient;
import io.virga.tf.protocol.ProviderGrpc;
import io.virga.tf.protocol.Tfplugin6.ApplyResourceChange;
import io.virga.tf.protocol.Tfplugin6.ConfigureProvider;
import io.virga.tf.protocol.Tfplugin6.Diagnostic;
import io.virga.tf.protocol.Tfplugin6.DynamicValue;
import io.virga.tf.protocol.Tfplugin6.GetFunctions;
import io.virga.tf.protocol.Tfplugin6.GetMetadata;
import io.virga.tf.protocol.Tfplugin6.GetProviderSchema;
import io.virga.tf.protocol.Tfplugin6.ImportResourceState;
import io.virga.tf.protocol.Tfplugin6.PlanResourceChange;
import io.virga.tf.protocol.Tfplugin6.ReadDataSource;
import io.virga.tf.protocol.Tfplugin6.ReadResource;
import io.virga.tf.protocol.Tfplugin6.ServerCapabilities;
import io.virga.tf.protocol.Tfplugin6.StopProvider;
import io.virga.tf.protocol.Tfplugin6.UpgradeResourceState;
import io.virga.tf.protocol.Tfplugin6.ValidateDataResourceConfig;
import io.virga.tf.protocol.Tfplugin6.ValidateProviderConfig;
import io.virga.tf.protocol.Tfplugin6.ValidateResourceConfig;
import io.virga.tf.resource.Resource;
import io.virga.tf.value.MsgPack;
import io.virga.tf.value.Unknown;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The tfplugin6 {@code Provider} service. Every failure reaches Terraform as an error diagnostic (never a
 * gRPC error), so the user reads the API's words. Calls before ConfigureProvider that need the API fail
 * with a diagnostic saying so.
 */
public final class VirgaProvider extends ProviderGrpc.ProviderImplBase {
    private static final Logger LOG = Logger.getLogger(VirgaProvider.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Resources resources = new Resources();
    private final Map<String, String> env;
    private volatile VirgaClient api;

    /** {@code env}: where VIRGA_ENDPOINT / VIRGA_TOKEN are looked up (System.getenv() in the plugin). */
    public VirgaProvider(Map<String, String> env) {
        this.env = env;
    }

    private static <T> void answer(StreamObserver<T> out, T value) {
        out.onNext(value);
        out.onCompleted();
    }

    private static Map<String, Object> decode(DynamicValue v) {
        if (v == null || v.getMsgpack().isEmpty()) {
            return null;
        }
        Object o = MsgPack.decode(v.getMsgpack().toByteArray());
        if (o == null) {
            return null;
        }
        if (!(o instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("expected an object value, got " + o);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) o;
        return m;
    }

    private static DynamicValue encode(Resource type, Map<String, Object> value) {
        return DynamicValue.newBuilder().setMsgpack(ByteString.copyFrom(MsgPack.encode(value,
                type.schema().type()))).build();
    }

    private VirgaClient api() {
        VirgaClient c = api;
        if (c == null) {
            throw new IllegalStateException("the provider is not configured (no ConfigureProvider call yet)");
        }
        return c;
    }

    /** Runs {@code work}; an exception becomes one error diagnostic. */
    private static List<Diagnostic> guarded(String what, Runnable work) {
        try {
            work.run();
            return List.of();
        } catch (RuntimeException e) {
            LOG.log(e instanceof ApiError ? Level.INFO : Level.WARNING, what + " failed", e);
            return List.of(Diagnostics.error(what + " failed", e.getMessage()));
        }
    }

    @Override
    public void getMetadata(GetMetadata.Request request, StreamObserver<GetMetadata.Response> out) {
        GetMetadata.Response.Builder r = GetMetadata.Response.newBuilder()
                .setServerCapabilities(ServerCapabilities.getDefaultInstance());
        resources.all().keySet().forEach(n -> r.addResources(GetMetadata.ResourceMetadata.newBuilder()
                .setTypeName(n)));
        answer(out, r.build());
    }

    @Override
    public void getProviderSchema(GetProviderSchema.Request request, StreamObserver<GetProviderSchema.Response> out) {
        GetProviderSchema.Response.Builder r = GetProviderSchema.Response.newBuilder()
                .setProvider(Resources.PROVIDER.toProto())
                .setServerCapabilities(ServerCapabilities.getDefaultInstance());
        resources.all().forEach((name, type) -> r.putResourceSchemas(name, type.schema().toProto()));
        answer(out, r.build());
    }

    @Override
    public void validateProviderConfig(ValidateProviderConfig.Request request,
            StreamObserver<ValidateProviderConfig.Response> out) {
        List<Diagnostic> d = new ArrayList<>();
        Map<String, Object> config = decode(request.getConfig());
        Object endpoint = config == null ? null : config.get("endpoint");
        if (endpoint instanceof String s && !s.startsWith("http://") && !s.startsWith("https://")) {
            d.add(Diagnostics.attributeError("endpoint", "must be an http:// or https:// URL"));
        }
        answer(out, ValidateProviderConfig.Response.newBuilder().addAllDiagnostics(d).build());
    }

    @Override
    public void configureProvider(ConfigureProvider.Request request, StreamObserver<ConfigureProvider.Response> out) {
        Map<String, Object> config = decode(request.getConfig());
        String endpoint = setting(config, "endpoint", "VIRGA_ENDPOINT", "VIRGA_URL");
        String token = setting(config, "token", "VIRGA_TOKEN", null);
        List<Diagnostic> d = new ArrayList<>();
        if (endpoint == null) {
            d.add(Diagnostics.error("No Virga endpoint", "set endpoint in the provider block or VIRGA_ENDPOINT"));
        } else if (token == null) {
            d.add(Diagnostics.error("No Virga token", "set token in the provider block or VIRGA_TOKEN"));
        } else {
            api = new VirgaClient(endpoint, token);
            LOG.info("configured for " + endpoint + " by terraform " + request.getTerraformVersion());
        }
        answer(out, ConfigureProvider.Response.newBuilder().addAllDiagnostics(d).build());
    }

    private String setting(Map<String, Object> config, String attr, String envName, String envFallback) {
        Object v = config == null ? null : config.get(attr);
        if (v instanceof String s && !s.isEmpty()) {
            return s;
        }
        String e = env.get(envName);
        if ((e == null || e.isEmpty()) && envFallback != null) {
            e = env.get(envFallback);
        }
        return e == null || e.isEmpty() ? null : e;
    }

    @Override
    public void validateResourceConfig(ValidateResourceConfig.Request request,
            StreamObserver<ValidateResourceConfig.Response> out) {
        List<Diagnostic> d = new ArrayList<>();
        List<Diagnostic> failed = guarded("validate " + request.getTypeName(), () -> {
            Resource type = resources.get(request.getTypeName());
            Map<String, Object> config = decode(request.getConfig());
            if (config != null) {
                type.validate(config, (attr, message) -> d.add(Diagnostics.attributeError(attr, message)));
            }
        });
        d.addAll(failed);
        answer(out, ValidateResourceConfig.Response.newBuilder().addAllDiagnostics(d).build());
    }

    @Override
    public void validateDataResourceConfig(ValidateDataResourceConfig.Request request,
            StreamObserver<ValidateDataResourceConfig.Response> out) {
        answer(out, ValidateDataResourceConfig.Response.newBuilder().addDiagnostics(Diagnostics.error(
                "No data sources", "the virga provider has no data source " + request.getTypeName())).build());
    }

    @Override
    public void readDataSource(ReadDataSource.Request request, StreamObserver<ReadDataSource.Response> out) {
        answer(out, ReadDataSource.Response.newBuilder().addDiagnostics(Diagnostics.error(
                "No data sources", "the virga provider has no data source " + request.getTypeName())).build());
    }

    @Override
    public void getFunctions(GetFunctions.Request request, StreamObserver<GetFunctions.Response> out) {
        answer(out, GetFunctions.Response.getDefaultInstance());
    }

    @Override
    public void upgradeResourceState(UpgradeResourceState.Request request,
            StreamObserver<UpgradeResourceState.Response> out) {
        UpgradeResourceState.Response.Builder r = UpgradeResourceState.Response.newBuilder();
        r.addAllDiagnostics(guarded("upgrade state of " + request.getTypeName(), () -> {
            Resource type = resources.get(request.getTypeName());
            byte[] json = request.getRawState().getJson().toByteArray();
            Map<String, Object> state = JsonValues.fromJson(JSON, json, type.schema());
            r.setUpgradedState(encode(type, state));
        }));
        answer(out, r.build());
    }

    @Override
    public void readResource(ReadResource.Request request, StreamObserver<ReadResource.Response> out) {
        ReadResource.Response.Builder r = ReadResource.Response.newBuilder().setPrivate(request.getPrivate());
        r.addAllDiagnostics(guarded("read " + request.getTypeName(), () -> {
            Resource type = resources.get(request.getTypeName());
            Map<String, Object> current = decode(request.getCurrentState());
            Map<String, Object> now = current == null ? null : type.read(api(), current);
            if (current != null && now == null) {
                LOG.info(type.typeName() + " " + current.get("id") + " is gone upstream: removed from state");
            }
            r.setNewState(encode(type, now));
        }));
        answer(out, r.build());
    }

    @Override
    public void planResourceChange(PlanResourceChange.Request request,
            StreamObserver<PlanResourceChange.Response> out) {
        PlanResourceChange.Response.Builder r = PlanResourceChange.Response.newBuilder()
                .setPlannedPrivate(request.getPriorPrivate());
        r.addAllDiagnostics(guarded("plan " + request.getTypeName(), () -> {
            Resource type = resources.get(request.getTypeName());
            Planner.Plan plan = Planner.plan(type, decode(request.getPriorState()),
                    decode(request.getProposedNewState()), decode(request.getConfig()));
            r.setPlannedState(encode(type, plan.planned()));
            plan.requiresReplace().forEach(a -> r.addRequiresReplace(Diagnostics.path(a)));
        }));
        answer(out, r.build());
    }

    @Override
    public void applyResourceChange(ApplyResourceChange.Request request,
            StreamObserver<ApplyResourceChange.Response> out) {
        ApplyResourceChange.Response.Builder r = ApplyResourceChange.Response.newBuilder()
                .setPrivate(request.getPlannedPrivate());
        Resource type;
        try {
            type = resources.get(request.getTypeName());
        } catch (IllegalArgumentException e) {
            answer(out, r.addDiagnostics(Diagnostics.error("apply failed", e.getMessage())).build());
            return;
        }
        Map<String, Object> prior = decode(request.getPriorState());
        Map<String, Object> planned = decode(request.getPlannedState());
        long t0 = System.nanoTime();
        String what = planned == null ? "delete" : prior == null ? "create" : "update";
        try {
            Map<String, Object> result;
            if (planned == null) {
                type.delete(api(), prior);
                result = null;
            } else if (prior == null) {
                result = type.create(api(), planned);
            } else {
                result = type.update(api(), prior, planned);
            }
            r.setNewState(encode(type, result));
            LOG.info(String.format("%s %s %s in %.1f s", what, type.typeName(),
                    result == null ? prior.get("id") : result.get("id"), (System.nanoTime() - t0) / 1e9));
        } catch (Resource.Failure f) {
            LOG.info(what + " " + type.typeName() + " failed: " + f.getMessage());
            r.setNewState(encode(type, f.state() != null ? f.state() : planned == null ? prior : null));
            r.addDiagnostics(Diagnostics.error(what + " " + type.typeName() + " failed", f.getMessage()));
        } catch (RuntimeException e) {
            LOG.log(Level.INFO, what + " " + type.typeName() + " failed", e);
            // nothing changed that we know of: keep the prior object (null for a create)
            r.setNewState(encode(type, prior == null ? null : known(prior)));
            r.addDiagnostics(Diagnostics.error(what + " " + type.typeName() + " failed", e.getMessage()));
        }
        answer(out, r.build());
    }

    /** A state may hold no unknown values: the prior state never does, this is a guard. */
    private static Map<String, Object> known(Map<String, Object> state) {
        Map<String, Object> m = new LinkedHashMap<>(state);
        m.replaceAll((k, v) -> Unknown.is(v) ? null : v);
        return m;
    }

    @Override
    public void importResourceState(ImportResourceState.Request request,
            StreamObserver<ImportResourceState.Response> out) {
        ImportResourceState.Response.Builder r = ImportResourceState.Response.newBuilder();
        r.addAllDiagnostics(guarded("import " + request.getTypeName() + " " + request.getId(), () -> {
            Resource type = resources.get(request.getTypeName());
            Map<String, Object> state = type.importById(api(), request.getId());
            if (state == null) {
                throw new IllegalArgumentException("there is no " + type.typeName() + " " + request.getId()
                        + " in this project");
            }
            r.addImportedResources(ImportResourceState.ImportedResource.newBuilder()
                    .setTypeName(type.typeName()).setState(encode(type, state)));
        }));
        answer(out, r.build());
    }

    @Override
    public void stopProvider(StopProvider.Request request, StreamObserver<StopProvider.Response> out) {
        VirgaClient c = api;
        if (c != null) {
            c.stop();
        }
        answer(out, StopProvider.Response.getDefaultInstance());
    }

}
