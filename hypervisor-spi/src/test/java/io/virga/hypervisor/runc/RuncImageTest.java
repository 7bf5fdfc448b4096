package io.virga.hypervisor.runc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.virga.hypervisor.ContainerMode;
import io.virga.hypervisor.PowerState;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Docker and OCI images run unchanged: layers in order, whiteouts honoured, entrypoint/cmd/env/workdir used. */
class RuncImageTest extends RuncFixture {

    @Test
    void aDockerSaveTarballRunsWithItsEntrypoint() throws Exception {
        runs(OciTestImages.dockerSave(tmp));
    }

    @Test
    void anOciLayoutTarballWithAGzipLayerRunsWithItsEntrypoint() throws Exception {
        runs(OciTestImages.ociLayout(tmp));
    }

    private void runs(Path image) {
        Path state = tmp.resolve("s");
        RuncHypervisor d = driver(state);
        String id = newId("img");
        d.spawn(container(id, image, ContainerMode.APP, List.of()).build());
        await("the image's process to exit", () -> d.status(id).orElseThrow().state() == PowerState.SHUTDOWN);
        String log = log(state, id);
        assertTrue(log.contains("greeting=hello-from-image pwd=/app"), log);
        assertTrue(log.contains("whiteout=honoured"), log);
        assertTrue(log.contains("opt=new "), log);
    }
}
