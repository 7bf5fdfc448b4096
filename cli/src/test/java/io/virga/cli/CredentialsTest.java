package io.virga.cli.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Options beat the environment, the environment beats the files of ./virga up, then the default URL. */
class CredentialsTest {
    @TempDir
    Path repo;

    private Path virgaUp(String url, String token) throws Exception {
        Path home = Files.createDirectories(repo.resolve(".virga"));
        Files.writeString(home.resolve("state.json"), "{\n  \"supervisorPid\" : 42,\n  \"gatewayUrl\" : \"" + url
                + "\",\n  \"status\" : \"running\"\n}");
        Files.writeString(home.resolve("admin-token"), token + "\n");
        return home;
    }

    @Test
    void theFilesOfVirgaUpAreFoundFromASubdirectory() throws Exception {
        virgaUp("http://127.0.0.1:18080", "t-admin");
        Path sub = Files.createDirectories(repo.resolve("docs/deep"));
        Credentials c = Credentials.resolve(null, null, Map.of(), sub);
        assertEquals("http://127.0.0.1:18080", c.url());
        assertEquals("t-admin", c.token());
    }

    @Test
    void environmentBeatsFilesAndOptionsBeatEnvironment() throws Exception {
        virgaUp("http://127.0.0.1:18080", "t-admin");
        Map<String, String> env = Map.of("VIRGA_URL", "http://env:1/", "VIRGA_TOKEN", "t-env");
        Credentials fromEnv = Credentials.resolve(null, null, env, repo);
        assertEquals("http://env:1", fromEnv.url(), "trailing slash dropped");
        assertEquals("t-env", fromEnv.token());
        Credentials fromOptions = Credentials.resolve("http://opt:2", "t-opt", env, repo);
        assertEquals("http://opt:2", fromOptions.url());
        assertEquals("t-opt", fromOptions.token());
    }

    @Test
    void virgaHomeNamesTheStateDirectory() throws Exception {
        Path home = virgaUp("http://127.0.0.1:28080", "t-home");
        Credentials c = Credentials.resolve(null, null, Map.of("VIRGA_HOME", home.toString()), Path.of("/"));
        assertEquals("http://127.0.0.1:28080", c.url());
        assertEquals("t-home", c.token());
    }

    @Test
    void withNothingTheDefaultUrlAndNoToken() {
        Credentials c = Credentials.resolve(null, null, Map.of(), repo);
        assertEquals(Credentials.DEFAULT_URL, c.url());
        assertNull(c.token());
    }
}
