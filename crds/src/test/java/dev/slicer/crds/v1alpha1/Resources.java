package dev.slicer.crds.v1alpha1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Example and invalid resources, and schema validation of them. */
final class Resources {

    static final CrdSchema CRD = CrdSchema.generated();
    private static final JsonSchema JSON_SCHEMA =
            JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(CRD.toJsonSchema());

    private Resources() {}

    static Path dir(String property) {
        String dir = System.getProperty(property);
        if (dir == null) {
            throw new IllegalStateException("system property " + property + " not set (run the tests with Maven)");
        }
        return Path.of(dir);
    }

    static List<Path> examples() {
        return yamlFiles(dir("slicer.examples.dir"));
    }

    static List<Path> invalid() {
        try {
            return yamlFiles(Path.of(Resources.class.getResource("/invalid").toURI()));
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Path> yamlFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The YAML documents of a file. */
    static List<JsonNode> read(Path file) {
        try (MappingIterator<JsonNode> it =
                CrdSchema.YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            List<JsonNode> docs = new ArrayList<>();
            while (it.hasNext()) {
                docs.add(it.next());
            }
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Header lines {@code # <key>: <value>} of a file. */
    static List<String> header(Path file, String key) {
        try {
            String prefix = "# " + key + ":";
            return Files.readAllLines(file).stream()
                    .filter(l -> l.startsWith(prefix))
                    .map(l -> l.substring(prefix.length()).trim())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A defaulted copy of {@code resource}, as the API server would store it. */
    static JsonNode defaulted(JsonNode resource) {
        JsonNode copy = resource.deepCopy();
        CRD.applyDefaults(copy);
        return copy;
    }

    static Set<ValidationMessage> schemaErrors(JsonNode resource) {
        return JSON_SCHEMA.validate(resource);
    }
}
