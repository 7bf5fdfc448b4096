package io.virga.gateway.instance;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.virga.contracts.storage.v1.GetImageRequest;
import io.virga.contracts.storage.v1.Image;
import io.virga.gateway.error.ApiException;
import io.virga.gateway.error.FieldError;
import io.virga.gateway.error.GrpcProblems;
import io.virga.gateway.flavor.Flavor;
import io.virga.gateway.flavor.FlavorRepository;
import io.virga.gateway.instance.flow.InstanceFlowConfig;
import io.virga.gateway.instance.flow.PlacementTraits;
import io.virga.gateway.placement.TraitSpecs;
import io.virga.gateway.clients.ServiceClients;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks a create request completely before anything is written: the body's
 * shape, that the flavor exists, that the image is visible to the project and
 * ACTIVE and fits the flavor, that the traits the flavor's extra specs and the image's properties ask for
 * agree ({@link TraitSpecs}), and the {@code networks[]} entries ({@link NicValidator}).
 * Every problem found is reported at once (400 with the fields); a service
 * that cannot answer makes it a 503. Nothing is changed either way.
 */
@ApplicationScoped
public class InstanceValidator {
    private final FlavorRepository flavors;
    private final ServiceClients clients;
    private final InstanceFlowConfig config;

    public InstanceValidator(FlavorRepository flavors, ServiceClients clients, InstanceFlowConfig config) {
        this.flavors = flavors;
        this.clients = clients;
        this.config = config;
    }

    /** A create request that passed every check. */
    public record ValidCreate(String name, FlavorSnapshot flavor, String imageId, List<String> networks,
                              Map<String, Integer> vnis, String userData, int bootSizeGb, String hypervisorType,
                              TraitSpecs traits) {
        /** A create with no hypervisor requirement from its image. */
        public ValidCreate(String name, FlavorSnapshot flavor, String imageId, List<String> networks,
                           Map<String, Integer> vnis, String userData, int bootSizeGb) {
            this(name, flavor, imageId, networks, vnis, userData, bootSizeGb, null, TraitSpecs.NONE);
        }
    }

    /** @throws ApiException 400 listing every bad field, or 503 when a service cannot answer */
    public ValidCreate validate(String projectId, com.fasterxml.jackson.databind.JsonNode body) {
        List<FieldError> errors = new ArrayList<>();
        CreateInstanceRequest r = CreateInstanceRequest.parse(body, errors);
        Flavor flavor = null;
        if (r.flavor() != null) {
            flavor = flavors.findByIdOrName(r.flavor()).orElse(null);
            if (flavor == null) {
                errors.add(new FieldError("flavor", "flavor " + r.flavor() + " not found"));
            }
        }
        Image image = r.image() == null ? null : image(projectId, r.image(), errors);
        NicValidator.Checked nics = new NicValidator(clients, config).check(projectId, r.networks(), errors);
        int bootSize = 0;
        if (flavor != null && image != null) {
            bootSize = bootSize(flavor, image, errors);
        }
        TraitSpecs traits = flavor == null || image == null ? TraitSpecs.NONE
                : TraitSpecs.forCreate(PlacementTraits.of(FlavorSnapshot.of(flavor)), flavor.extraSpecs(),
                        image.getPropertiesMap(), errors);
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        return new ValidCreate(r.name(), FlavorSnapshot.of(flavor), image.getId(), List.copyOf(nics.encoded()),
                Map.copyOf(nics.vnis()), r.userData(), bootSize,
                image.getPropertiesMap().getOrDefault("hypervisor_type", null), traits);
    }

    private Image image(String projectId, String id, List<FieldError> errors) {
        Image image;
        try {
            image = clients.storage(config.validationTimeout()).getImage(GetImageRequest.newBuilder()
                    .setProjectId(projectId).setId(id).build());
        } catch (StatusRuntimeException e) {
            refused(e, "image", "image " + id + " not found", errors);
            return null;
        }
        if (!"ACTIVE".equals(image.getStatus())) {
            errors.add(new FieldError("image", "image " + id + " is " + image.getStatus()
                    + ", not ACTIVE (upload its data first)"));
            return null;
        }
        return image;
    }

    /** NOT_FOUND and INVALID_ARGUMENT are the caller's mistake (a field error); anything else is the service's. */
    static void refused(StatusRuntimeException e, String field, String notFound, List<FieldError> errors) {
        Status.Code code = e.getStatus().getCode();
        if (code == Status.Code.NOT_FOUND) {
            errors.add(new FieldError(field, notFound));
        } else if (code == Status.Code.INVALID_ARGUMENT) {
            String d = e.getStatus().getDescription();
            errors.add(new FieldError(field, d == null ? "is invalid" : d));
        } else {
            throw GrpcProblems.from(e);
        }
    }

    /**
     * The boot volume's size: the flavor's disk, or the image's minimum when
     * the flavor has none; a flavor disk smaller than the image needs is an error.
     * Container flavors need OCI images and machine flavors need disk images.
     */
    private static int bootSize(Flavor flavor, Image image, List<FieldError> errors) {
        boolean oci = "oci".equalsIgnoreCase(image.getDiskFormat());
        boolean container = "container".equalsIgnoreCase(flavor.kind());
        if (oci != container) {
            errors.add(new FieldError("image", "image " + image.getId() + " is " + image.getDiskFormat()
                    + "; flavor " + flavor.name() + " of kind " + flavor.kind() + " needs "
                    + (container ? "an oci image" : "a disk image (qcow2 or raw)")));
            return 0;
        }
        int min = image.getMinDiskGb();
        if (flavor.diskGb() > 0 && flavor.diskGb() < min) {
            errors.add(new FieldError("flavor", "flavor " + flavor.name() + " has a " + flavor.diskGb()
                    + " GiB disk; image " + image.getId() + " needs at least " + min + " GiB"));
            return 0;
        }
        return Math.max(1, flavor.diskGb() > 0 ? flavor.diskGb() : min);
    }
}
