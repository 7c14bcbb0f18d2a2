package dev.slicer.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.slicer.crds.v1alpha1.spec.BackendSpec;
import dev.slicer.crds.v1alpha1.spec.CompressionSpec;
import dev.slicer.crds.v1alpha1.spec.EdgesSpec;
import dev.slicer.crds.v1alpha1.spec.LinkSpec;
import dev.slicer.crds.v1alpha1.spec.ModelSpec;
import dev.slicer.crds.v1alpha1.spec.PolicySpec;
import dev.slicer.crds.v1alpha1.spec.SloSpec;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** Desired state of a split-inference fleet. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "self.model.mode != 'AUTOREGRESSIVE' || self.edges.deviceClasses.all(c, has(c.arBuffer))",
        message = "AUTOREGRESSIVE mode needs an arBuffer (M_ar) on every device class",
        fieldPath = ".edges.deviceClasses")
public class SplitInferenceSpec {

    @Required
    @JsonPropertyDescription("The model to split: where it is, what it does and how it is decoded.")
    private ModelSpec model;

    @Required
    @JsonPropertyDescription("The edge devices that run the front part of the model, grouped into device classes.")
    private EdgesSpec edges;

    @Required
    @JsonPropertyDescription("The GPU back-end that decodes intermediate features and runs the rest of the model.")
    private BackendSpec backend;

    @Required
    @JsonPropertyDescription(
            "Service-level objective every plan must meet: latency budget D and outage probability eps.")
    private SloSpec slo;

    @Default("{}")
    @JsonPropertyDescription("How the uplink is modelled when predicting transmission time.")
    private LinkSpec link = new LinkSpec();

    @Default("{}")
    @JsonPropertyDescription("Intermediate-feature compression: planner-chosen (AUTO) or fixed knobs.")
    private CompressionSpec compression = new CompressionSpec();

    @Default("{}")
    @JsonPropertyDescription("When and from which metrics the operator re-plans.")
    private PolicySpec policy = new PolicySpec();

    public ModelSpec getModel() {
        return model;
    }

    public void setModel(ModelSpec model) {
        this.model = model;
    }

    public EdgesSpec getEdges() {
        return edges;
    }

    public void setEdges(EdgesSpec edges) {
        this.edges = edges;
    }

    public BackendSpec getBackend() {
        return backend;
    }

    public void setBackend(BackendSpec backend) {
        this.backend = backend;
    }

    public SloSpec getSlo() {
        return slo;
    }

    public void setSlo(SloSpec slo) {
        this.slo = slo;
    }

    public LinkSpec getLink() {
        return link;
    }

    public void setLink(LinkSpec link) {
        this.link = link;
    }

    public CompressionSpec getCompression() {
        return compression;
    }

    public void setCompression(CompressionSpec compression) {
        this.compression = compression;
    }

    public PolicySpec getPolicy() {
        return policy;
    }

    public void setPolicy(PolicySpec policy) {
        this.policy = policy;
    }
}
