package dev.slicer.e2e.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated CRD on a real kube-apiserver: it installs and becomes Established, the API server accepts every
 * example in {@code examples/} with strict field validation, and rejects every file in the crds module's
 * {@code src/test/resources/invalid} by its own OpenAPI schema and CEL rules, for the reason the file's header
 * names. (The crds module's CEL-for-Java test stays as the fast pre-check of the same files.)
 */
@Tag("operator-e2e")
@Tag("controlplane")
class CrdOnRealApiServerTest {
    private static final String NAMESPACE = "crd-validation";
    private static final YAMLMapper YAML = new YAMLMapper();
    private static KubernetesClient admin;

    @BeforeAll
    static void install() throws Exception {
        admin = RealControlPlane.shared().admin();
        SplitInferenceCrd.install(admin);
        admin.resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(NAMESPACE)
                        .endMetadata()
                        .build())
                .serverSideApply();
    }

    @Test
    void generatedCrdIsEstablishedWithItsCelRules() {
        CustomResourceDefinition stored = admin.apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName("splitinferences.slicer.dev")
                .get();
        assertThat(stored.getStatus().getAcceptedNames().getKind()).isEqualTo("SplitInference");
        // the server kept the CEL rules of the generated schema (none was dropped as unknown)
        long generatedRules = countRules(admin.getKubernetesSerialization()
                .convertValue(SplitInferenceCrd.generated(admin).getSpec(), JsonNode.class));
        long storedRules =
                countRules(admin.getKubernetesSerialization().convertValue(stored.getSpec(), JsonNode.class));
        assertThat(generatedRules).isGreaterThan(10);
        assertThat(storedRules).isEqualTo(generatedRules);
    }

    static Stream<Path> examples() throws IOException {
        return yamlFiles(System.getProperty("slicer.examples.dir"));
    }

    @ParameterizedTest
    @MethodSource("examples")
    void acceptsExample(Path file) throws IOException {
        List<GenericKubernetesResource> docs = read(file);
        assertThat(docs).hasSize(1);
        GenericKubernetesResource example = docs.get(0);
        var resources = SplitInferenceCrd.resources(admin).inNamespace(NAMESPACE);
        resources.withName(example.getMetadata().getName()).delete();
        GenericKubernetesResource created =
                resources.resource(example).fieldValidation(Validation.STRICT).create();
        try {
            assertThat(created.getMetadata().getUid()).isNotBlank();
            // the spec the user wrote is stored (defaults may add fields, none is pruned)
            JsonNode written = admin.getKubernetesSerialization().convertValue(example, JsonNode.class);
            JsonNode stored = admin.getKubernetesSerialization().convertValue(created, JsonNode.class);
            assertContains(stored.path("spec"), written.path("spec"), "spec");
        } finally {
            resources.withName(example.getMetadata().getName()).delete();
        }
    }

    static Stream<Path> invalid() throws IOException {
        return yamlFiles(System.getProperty("slicer.crds.invalid.dir"));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void rejectsInvalidForTheIntendedReason(Path file) throws IOException {
        List<String> expectCel = header(file, "expect-cel");
        List<String> expectSchema = header(file, "expect-schema");
        assertThat(expectCel.size() + expectSchema.size())
                .as("%s declares what it expects", file.getFileName())
                .isPositive();

        List<GenericKubernetesResource> docs = read(file);
        var resources = SplitInferenceCrd.resources(admin).inNamespace(NAMESPACE);
        String name = docs.get(0).getMetadata().getName();
        resources.withName(name).delete();
        resources.withName(name).waitUntilCondition(r -> r == null, 30, java.util.concurrent.TimeUnit.SECONDS);
        try {
            GenericKubernetesResource bad = docs.get(docs.size() - 1);
            if (docs.size() > 1) {
                // an update: the first document is stored, the second must be refused
                GenericKubernetesResource stored = resources
                        .resource(docs.get(0))
                        .fieldValidation(Validation.STRICT)
                        .create();
                bad.getMetadata().setResourceVersion(stored.getMetadata().getResourceVersion());
            }
            KubernetesClientException e = catchThrowableOfType(KubernetesClientException.class, () -> {
                var op = resources.resource(bad).fieldValidation(Validation.STRICT);
                if (docs.size() > 1) {
                    op.update();
                } else {
                    op.create();
                }
            });
            assertThat(e)
                    .as("%s is rejected by the API server", file.getFileName())
                    .isNotNull();
            // 422 Invalid for schema and CEL; 400 for a field strict decoding does not know
            assertThat(e.getCode()).as(e.getMessage()).isIn(400, 422);
            String answer = e.getMessage();
            for (String rule : expectCel) {
                assertThat(answer).as("CEL rule of %s", file.getFileName()).contains(rule);
            }
            for (String expected : expectSchema) {
                // "$.spec.compression.qbit maximum" -> the server names the field spec.compression.qbit
                String field = expected.split(" ")[0].substring(2);
                assertThat(answer).as("schema error of %s", file.getFileName()).contains(field);
            }
        } finally {
            resources.withName(name).delete();
        }
    }

    private static long countRules(JsonNode node) {
        long n = 0;
        if (node.isObject()) {
            JsonNode rules = node.get("x-kubernetes-validations");
            if (rules != null) {
                n += rules.size();
            }
        }
        for (JsonNode child : node) {
            n += countRules(child);
        }
        return n;
    }

    /** Every field of {@code expected} is in {@code actual} with the same value (arrays element-wise). */
    private static void assertContains(JsonNode actual, JsonNode expected, String path) {
        if (expected.isObject()) {
            expected.fieldNames()
                    .forEachRemaining(f -> assertContains(actual.path(f), expected.get(f), path + "." + f));
        } else if (expected.isArray()) {
            assertThat(actual.size()).as(path).isEqualTo(expected.size());
            for (int i = 0; i < expected.size(); i++) {
                assertContains(actual.get(i), expected.get(i), path + "[" + i + "]");
            }
        } else {
            assertThat(actual.asText()).as(path).isEqualTo(expected.asText());
        }
    }

    private static Stream<Path> yamlFiles(String dir) throws IOException {
        assertThat(dir).as("directory property (run with Maven)").isNotNull();
        try (Stream<Path> files = Files.list(Path.of(dir))) {
            List<Path> list =
                    files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
            assertThat(list).as("yaml files in %s", dir).isNotEmpty();
            return list.stream();
        }
    }

    private static List<GenericKubernetesResource> read(Path file) throws IOException {
        List<GenericKubernetesResource> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            while (it.hasNext()) {
                GenericKubernetesResource r =
                        admin.getKubernetesSerialization().convertValue(it.next(), GenericKubernetesResource.class);
                r.getMetadata().setNamespace(NAMESPACE);
                docs.add(r);
            }
        }
        return docs;
    }

    private static List<String> header(Path file, String key) throws IOException {
        String prefix = "# " + key + ":";
        return Files.readAllLines(file).stream()
                .filter(l -> l.startsWith(prefix))
                .map(l -> l.substring(prefix.length()).trim())
                .toList();
    }
}
