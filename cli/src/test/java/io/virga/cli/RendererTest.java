package io.virga.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tables line up, empty cells show "-", JSON and YAML carry the API's answer unchanged. */
class RendererTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Column> COLUMNS = List.of(Column.of("ID", "id"), Column.of("NAME", "name"),
            Column.of("FLAVOR", "flavor.name"), Column.of("TAGS", "tags"));

    private static String render(Format f, JsonNode items) {
        StringWriter w = new StringWriter();
        new Renderer(f, new PrintWriter(w)).list(items, COLUMNS);
        return w.toString();
    }

    private static JsonNode items() throws Exception {
        return JSON.readTree("[{\"id\":\"i-1\",\"name\":\"web-1\",\"flavor\":{\"name\":\"m1.small\"},"
                + "\"tags\":[\"a\",\"b\"]},{\"id\":\"i-22\",\"name\":null,\"flavor\":{\"name\":\"m1.large\"},"
                + "\"tags\":[]}]");
    }

    @Test
    void aTableAlignsColumnsAndShowsADashForEmptyCells() throws Exception {
        assertEquals("""
                ID    NAME   FLAVOR    TAGS
                i-1   web-1  m1.small  a,b
                i-22  -      m1.large  -
                """, render(Format.TABLE, items()));
    }

    @Test
    void anEmptyListIsJustTheHeader() {
        assertEquals("ID  NAME  FLAVOR  TAGS\n", render(Format.TABLE, JSON.createArrayNode()));
    }

    @Test
    void jsonIsTheItemsAsTheApiSentThem() throws Exception {
        assertEquals(items(), JSON.readTree(render(Format.JSON, items())));
    }

    @Test
    void yamlIsTheSameTreeAsTheJson() throws Exception {
        String yaml = render(Format.YAML, items());
        assertEquals(items(), new YAMLMapper().readTree(yaml));
        assertEquals("- id: i-1", yaml.lines().findFirst().orElseThrow());
    }

    @Test
    void showPrintsEveryFieldWithNestedValuesAsCompactJson() throws Exception {
        StringWriter w = new StringWriter();
        new Renderer(Format.TABLE, new PrintWriter(w)).show(JSON.readTree(
                "{\"id\":\"i-1\",\"status\":\"ERROR\",\"fault\":{\"message\":\"no host\",\"code\":\"NoValidHost\"},"
                        + "\"host\":null,\"locked\":false}"));
        assertEquals("""
                FIELD   VALUE
                id      i-1
                status  ERROR
                fault   {"message":"no host","code":"NoValidHost"}
                host    -
                locked  false
                """, w.toString());
    }
}
