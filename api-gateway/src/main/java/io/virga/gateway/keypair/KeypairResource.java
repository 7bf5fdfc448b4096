package io.virga.gateway.keypair;

import io.virga.gateway.api.Checks;
import io.virga.gateway.api.Page;
import io.virga.gateway.api.PageRequest;
import io.virga.gateway.api.ProjectScope;
import io.virga.gateway.auth.Caller;
import io.virga.gateway.auth.CallerContext;
import io.virga.gateway.error.ApiException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /v1/keypairs}: SSH public keys of the caller's project, imported (the gateway never makes or sees a
 * private key). Readers list and show; members and admins create and delete. Another project's key pair is 404.
 * No quota. {@code key_name} on instance create puts the key into the guest's {@code /root/.ssh/authorized_keys}.
 */
@Path("/v1/keypairs")
@Tag(name = "keypairs", description = "SSH public keys per project")
@Produces(MediaType.APPLICATION_JSON)
public class KeypairResource {
    private final CallerContext callers;
    private final KeypairRepository keypairs;

    public KeypairResource(CallerContext callers, KeypairRepository keypairs) {
        this.callers = callers;
        this.keypairs = keypairs;
    }

    /** {@code {"name": "laptop", "public_key": "ssh-ed25519 AAAA... me@host"}} */
    public record CreateKeypair(String name, String publicKey) {
    }

    /** A key pair as the API shows it. */
    public record KeypairView(String name, String type, String publicKey, String fingerprint, String projectId,
                              Instant createdAt) {
        static KeypairView of(Keypair k) {
            return new KeypairView(k.name(), k.type(), k.publicKey(), k.fingerprint(), k.projectId(), k.createdAt());
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createKeypair", summary = "Import an SSH public key (201; 409 if the name is taken)")
    public Response create(CreateKeypair body) {
        Caller caller = callers.requireWrite();
        Checks.body(body);
        Checks c = new Checks();
        c.name("name", body.name());
        c.done();
        PublicKeys.Parsed key = PublicKeys.parse(body.publicKey());
        Keypair k = keypairs.insert(caller.projectId(), body.name(), key);
        return Response.created(URI.create("/v1/keypairs/" + k.name())).entity(KeypairView.of(k)).build();
    }

    @GET
    @Operation(operationId = "listKeypairs", summary = "List the project's key pairs, by name")
    public Page<KeypairView> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor,
                                  @QueryParam("project_id") String project) {
        Caller caller = callers.current();
        PageRequest page = PageRequest.of(limit, cursor);
        String projectId = ProjectScope.resolve(caller, project);
        return page.keysetPage(keypairs.list(projectId, page.afterKey(), page.limit() + 1).stream()
                .map(KeypairView::of).toList(), KeypairView::name);
    }

    @GET
    @Path("{name}")
    @Operation(operationId = "getKeypair", summary = "Show a key pair")
    public KeypairView get(@PathParam("name") String name, @QueryParam("project_id") String project) {
        String projectId = ProjectScope.resolve(callers.current(), project);
        return keypairs.find(projectId, name).map(KeypairView::of)
                .orElseThrow(() -> ApiException.notFound("key pair", name));
    }

    @DELETE
    @Path("{name}")
    @Operation(operationId = "deleteKeypair", summary = "Delete a key pair (204); instances keep the key they got")
    public Response delete(@PathParam("name") String name) {
        Caller caller = callers.requireWrite();
        if (!keypairs.delete(caller.projectId(), name)) {
            throw ApiException.notFound("key pair", name);
        }
        return Response.noContent().build();
    }
}
