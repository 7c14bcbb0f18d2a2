package dev.slicer.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** The chart under test, rendered by real Helm (helm-java). */
final class Chart {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final String RELEASE = "slicer";
    static final String NAMESPACE = "slicer";

    private Chart() {}

    static Path dir() {
        String dir = System.getProperty("slicer.chart.dir");
        if (dir == null) {
            throw new IllegalStateException("system property slicer.chart.dir not set (run the tests with Maven)");
        }
        return Path.of(dir);
    }

    static Path values(String name) {
        try {
            return Path.of(Chart.class.getResource("/values/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Renders the chart with the default values, or with {@code valuesFile} on top of them. */
    static Rendered render(String valuesFile) {
        TemplateCommand template = new Helm(dir()).template().withName(RELEASE).withNamespace(NAMESPACE);
        if (valuesFile != null) {
            template = template.withValuesFile(values(valuesFile));
        }
        return new Rendered(parse(template.call()));
    }

    static List<JsonNode> parse(String yaml) {
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            List<JsonNode> docs = new ArrayList<>();
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && doc.isObject() && doc.has("kind")) {
                    docs.add(doc);
                }
            }
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The objects of one rendering. */
    record Rendered(List<JsonNode> objects) {

        List<JsonNode> ofKind(String... kinds) {
            List<String> wanted = List.of(kinds);
            return objects.stream()
                    .filter(o -> wanted.contains(o.path("kind").asText()))
                    .toList();
        }

        JsonNode one(String kind, Predicate<JsonNode> filter) {
            List<JsonNode> found = ofKind(kind).stream().filter(filter).toList();
            if (found.size() != 1) {
                throw new AssertionError("expected one " + kind + ", found " + found.size());
            }
            return found.get(0);
        }

        JsonNode one(String kind) {
            return one(kind, o -> true);
        }
    }
}
