package io.virga.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What the command line accepts and refuses, before any request is sent (usage errors exit 2). */
class ArgumentParsingTest {
    private static CommandLine cli() {
        return VirgaCli.commandLine(new VirgaCli.Context(Map.of(), Path.of("/"), Duration.ofMillis(10)),
                new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    }

    private static Run run(String... args) {
        return Run.of(Map.of("VIRGA_URL", "http://127.0.0.1:1"), Path.of("/"), args);
    }

    @Test
    void instanceCreateTakesNameFlavorImageRepeatedNetworksAndWait() {
        CommandLine.ParseResult r = cli().parseArgs("instance", "create", "web-1", "--flavor", "m1.small",
                "--image", "img-1", "--network", "n-1", "--network", "private", "--wait", "--timeout", "90s",
                "-o", "json");
        CommandLine.ParseResult leaf = r.subcommand().subcommand();
        assertEquals("create", leaf.commandSpec().name());
        assertEquals("web-1", leaf.matchedPositional(0).getValue());
        assertEquals(List.of("n-1", "private"), leaf.matchedOption("--network").getValue());
        assertEquals(Boolean.TRUE, leaf.matchedOption("--wait").getValue());
        assertEquals(Duration.ofSeconds(90), leaf.matchedOption("--timeout").getValue());
        assertEquals(io.virga.cli.output.Format.JSON, leaf.matchedOption("-o").getValue());
    }

    @Test
    void missingRequiredOptionsAreAUsageErrorNamingThem() {
        Run r = run("instance", "create", "web-1", "--flavor", "m1.small");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--image"), r.err());
        assertTrue(r.err().contains("--network"), r.err());
        assertTrue(r.err().contains("Try 'virga instance create --help'"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void anUnknownOutputFormatIsAUsageErrorNamingTheChoices() {
        Run r = run("flavor", "list", "-o", "xml");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("must be table, json or yaml, got 'xml'"), r.err());
    }

    @Test
    void aBadTimeoutIsAUsageError() {
        Run r = run("instance", "delete", "i-1", "--wait", "--timeout", "soon");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("must be a duration such as 90s, 5m or 1h"), r.err());
    }

    @Test
    void anUnknownCommandIsAUsageErrorWithSuggestions() {
        Run r = run("instanse", "list");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("instanse"), r.err());
        assertTrue(r.err().contains("virga instance"), r.err());
    }

    @Test
    void aGroupWithoutSubcommandListsItsSubcommands() {
        Run r = run("volume");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("virga volume needs a subcommand: list, show, create, delete, attach, detach"),
                r.err());
    }

    @Test
    void aMissingUploadFileIsAUsageErrorAndNothingIsSent() throws Exception {
        try (FakeApi api = new FakeApi()) {
            Run r = Run.against(api, "image", "create", "tiny", "--disk-format", "raw", "--file", "/no/such/file");
            assertEquals(2, r.code());
            assertTrue(r.err().contains("cannot read file /no/such/file"), r.err());
            assertTrue(api.requests.isEmpty(), "no image was registered: " + api.requests);
        }
    }

    @Test
    void helpOfALeafCommandShowsItsOptionsAndExitsZero() {
        Run r = run("volume", "attach", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("--instance=<instance>"), r.out());
        assertTrue(r.out().contains("--wait"), r.out());
    }

    @Test
    void rootHelpListsTheResourcesAndSaysWhereCredentialsComeFrom() {
        Run r = run("--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("instance") && r.out().contains("operation"), r.out());
        assertTrue(r.out().contains("$VIRGA_URL/$VIRGA_TOKEN"), r.out());
        assertTrue(!run("flavor", "list", "--help").out().contains("Exit codes"), "the footer is the root's only");
    }

    @Test
    void completionPrintsABashScriptCoveringTheResourceCommands() {
        Run r = run("completion");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("#!/usr/bin/env bash"), r.out().substring(0, 40));
        assertTrue(r.out().contains("complete -F _complete_virga"), "registers the completion function");
        for (String cmd : List.of("instance", "flavor", "image", "network", "subnet", "volume", "host", "project",
                "token", "operation")) {
            assertTrue(r.out().contains(cmd), cmd);
        }
    }
}
