package io.virga.hypervisor.runc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What an OCI / Docker image says about how to run it (its config's {@code config} object); all empty for
 * a plain root filesystem tarball.
 *
 * @param entrypoint {@code Entrypoint}
 * @param cmd        {@code Cmd}
 * @param env        {@code Env}, {@code KEY=value}
 * @param workingDir {@code WorkingDir}, {@code ""} when unset
 * @param user       {@code User}, {@code ""} when unset
 */
record ImageConfig(List<String> entrypoint, List<String> cmd, List<String> env, String workingDir, String user) {
    static final ImageConfig NONE = new ImageConfig(List.of(), List.of(), List.of(), "", "");

    ImageConfig {
        entrypoint = List.copyOf(entrypoint == null ? List.of() : entrypoint);
        cmd = List.copyOf(cmd == null ? List.of() : cmd);
        env = List.copyOf(env == null ? List.of() : env);
        workingDir = workingDir == null ? "" : workingDir;
        user = user == null ? "" : user;
    }

    /** The image's own process: entrypoint followed by cmd (empty when it has neither). */
    List<String> defaultArgs() {
        List<String> args = new ArrayList<>(entrypoint);
        args.addAll(cmd);
        return args;
    }

    /** Reads the {@code config} object of an image config document (Docker and OCI spell it alike). */
    static ImageConfig fromImageConfigDocument(JsonNode doc) {
        JsonNode c = doc.path("config");
        return new ImageConfig(strings(c.path("Entrypoint")), strings(c.path("Cmd")), strings(c.path("Env")),
                c.path("WorkingDir").asText(""), c.path("User").asText(""));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array.isArray()) {
            array.forEach(n -> out.add(n.asText()));
        }
        return out;
    }
}
