package dev.slicer.crds.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slicer.crds.v1alpha1.spec.BackendSpec;
import dev.slicer.crds.v1alpha1.spec.DeviceClassSpec;
import dev.slicer.crds.v1alpha1.spec.EdgesSpec;
import dev.slicer.crds.v1alpha1.spec.ModelSpec;
import dev.slicer.crds.v1alpha1.spec.SloSpec;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Defaults live in the schema; the Java field initializers repeat them so that code reading a resource that
 * was never defaulted by an API server (the mock server in CRUD mode, unit tests) sees the same values.
 */
class JavaDefaultsTest {

    static SplitInference minimal() {
        ModelSpec model = new ModelSpec();
        model.setUri("https://models.example.com/m.onnx");
        model.setTask(ModelSpec.Task.IMAGE_CLASSIFICATION);
        DeviceClassSpec phone = new DeviceClassSpec();
        phone.setName("phone");
        phone.setMemoryBudget("512Mi");
        EdgesSpec edges = new EdgesSpec();
        edges.setSelector(new LabelSelector(null, Map.of("app", "edge")));
        edges.setDeviceClasses(List.of(phone));
        BackendSpec backend = new BackendSpec();
        backend.setImage("backend:1");
        SloSpec slo = new SloSpec();
        slo.setLatency("100ms");
        SplitInferenceSpec spec = new SplitInferenceSpec();
        spec.setModel(model);
        spec.setEdges(edges);
        spec.setBackend(backend);
        spec.setSlo(slo);
        SplitInference si = new SplitInference();
        si.getMetadata().setName("minimal");
        si.setSpec(spec);
        return si;
    }

    @Test
    void javaInitializersEqualSchemaDefaults() {
        JsonNode fromJava = CrdSchema.YAML.valueToTree(minimal());
        ObjectNode onlyRequired = fromJava.deepCopy();
        ObjectNode spec = (ObjectNode) onlyRequired.get("spec");
        spec.retain("model", "edges", "backend", "slo");
        ((ObjectNode) spec.get("model")).retain("uri", "task");
        ((ObjectNode) spec.get("backend")).retain("image");
        ((ObjectNode) spec.get("slo")).retain("latency");
        JsonNode defaultedByServer = Resources.defaulted(onlyRequired);
        assertThat(fromJava.get("spec")).isEqualTo(defaultedByServer.get("spec"));
    }

    @Test
    void aResourceBuiltInJavaIsValid() {
        JsonNode json = CrdSchema.YAML.valueToTree(minimal());
        assertThat(Resources.schemaErrors(json)).isEmpty();
        assertThat(new CelRules(Resources.CRD).evaluate(json))
                .filteredOn(CelRules.Outcome::failed)
                .isEmpty();
    }
}
