package io.virga.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Prints API answers in one {@link Format}. JSON and YAML print what the API answered, as it answered
 * it (a list prints its items as an array); a table prints the chosen columns of a list, or every field
 * of one resource as {@code FIELD VALUE} rows (nested values as compact JSON).
 */
public final class Renderer {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build());

    private final Format format;
    private final PrintWriter out;

    public Renderer(Format format, PrintWriter out) {
        this.format = format;
        this.out = out;
    }

    public Format format() {
        return format;
    }

    /** A list of items: a table of {@code columns}, or the items as a JSON / YAML array. */
    public void list(JsonNode items, List<Column> columns) {
        if (format != Format.TABLE) {
            structured(items);
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode item : items) {
            List<String> row = new ArrayList<>();
            for (Column c : columns) {
                row.add(c.cell().apply(item));
            }
            rows.add(row);
        }
        table(columns.stream().map(Column::header).toList(), rows);
    }

    /** One resource: {@code FIELD VALUE} rows of every top-level field, or the object as JSON / YAML. */
    public void show(JsonNode resource) {
        if (format != Format.TABLE) {
            structured(resource);
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = resource.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            rows.add(List.of(f.getKey(), orDash(Column.text(f.getValue()))));
        }
        table(List.of("FIELD", "VALUE"), rows);
    }

    /** JSON or YAML of any node (also used by {@link #show} and {@link #list}). */
    public void structured(JsonNode node) {
        try {
            if (format == Format.YAML) {
                out.print(YAML.writeValueAsString(node));
            } else {
                out.println(JSON.writeValueAsString(node));
            }
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        out.flush();
    }

    /** Aligned columns separated by two spaces; the last column is not padded; empty cells show {@code -}. */
    void table(List<String> headers, List<List<String>> rows) {
        int[] width = new int[headers.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = headers.get(i).length();
        }
        for (List<String> row : rows) {
            for (int i = 0; i < width.length; i++) {
                width[i] = Math.max(width[i], orDash(row.get(i)).length());
            }
        }
        line(headers, width);
        for (List<String> row : rows) {
            line(row, width);
        }
        out.flush();
    }

    private void line(List<String> cells, int[] width) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < width.length; i++) {
            String cell = orDash(cells.get(i));
            b.append(cell);
            if (i < width.length - 1) {
                b.append(" ".repeat(width[i] - cell.length() + 2));
            }
        }
        out.println(b.toString().stripTrailing());
    }

    private static String orDash(String s) {
        return s == null || s.isEmpty() ? "-" : s.replace('\n', ' ');
    }
}
