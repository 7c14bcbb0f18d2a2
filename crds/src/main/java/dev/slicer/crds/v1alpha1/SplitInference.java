package dev.slicer.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.slicer.crds.v1alpha1.status.SplitInferenceStatus;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * An elastic split-inference fleet: one model split between edge devices and a scalable GPU back-end,
 * re-planned by the operator from link and load metrics.
 */
@Group(SplitInference.GROUP)
@Version(SplitInference.VERSION)
@ShortNames("si")
@Categories("slicer")
@JsonInclude(JsonInclude.Include.NON_NULL)
@AdditionalPrinterColumn(
        name = "Mode",
        jsonPath = ".spec.model.mode",
        type = AdditionalPrinterColumn.Type.STRING,
        getDescription = "Single-shot or autoregressive inference")
@AdditionalPrinterColumn(
        name = "Splits",
        jsonPath = ".status.plan.summary",
        type = AdditionalPrinterColumn.Type.STRING,
        getDescription = "Split in use per device class")
@AdditionalPrinterColumn(
        name = "Replicas",
        jsonPath = ".status.backend.replicas",
        type = AdditionalPrinterColumn.Type.INTEGER,
        getDescription = "Back-end replicas")
@AdditionalPrinterColumn(
        name = "Ready",
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
        type = AdditionalPrinterColumn.Type.STRING,
        getDescription = "Whether the fleet serves requests with a current plan")
@AdditionalPrinterColumn(
        name = "Age",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE,
        getDescription = "Time since creation")
public class SplitInference extends CustomResource<SplitInferenceSpec, SplitInferenceStatus> implements Namespaced {

    public static final String GROUP = "slicer.dev";
    public static final String VERSION = "v1alpha1";
    /** Name of the generated CustomResourceDefinition. */
    public static final String CRD_NAME = "splitinferences." + GROUP;
    /** Classpath location of the generated CustomResourceDefinition YAML. */
    public static final String CRD_RESOURCE = "META-INF/fabric8/" + CRD_NAME + "-v1.yml";

    private static final long serialVersionUID = 1L;

    @Override
    protected SplitInferenceStatus initStatus() {
        return new SplitInferenceStatus();
    }
}
