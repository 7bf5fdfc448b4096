package io.virga.compute.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.Status;
import java.util.List;

/**
 * An image's {@code container_command} property as the container's argv: a JSON array of strings
 * ({@code ["/bin/echo", "hi"]}, run as it is, like a Dockerfile's exec-form CMD), or any other text, run
 * by {@code /bin/sh -c} (the shell form). A property starting with {@code [} that is not an array of
 * strings is refused (FAILED_PRECONDITION naming the image).
 */
final class ContainerCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ContainerCommand() {
    }

    static List<String> parse(String imageId, String property) {
        String p = property.strip();
        if (!p.startsWith("[")) {
            return List.of("/bin/sh", "-c", p);
        }
        try {
            List<String> argv = JSON.readValue(p, new TypeReference<List<String>>() { });
            if (argv == null || argv.isEmpty() || argv.contains(null) || argv.get(0).isEmpty()) {
                throw new IllegalArgumentException("empty");
            }
            return List.copyOf(argv);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw Status.FAILED_PRECONDITION.withDescription("image " + imageId + " has container_command '" + property
                    + "'; expected a JSON array of strings or a shell command").asRuntimeException();
        }
    }
}
