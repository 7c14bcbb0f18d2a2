package dev.slicer.crds.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.slicer.crds.v1alpha1.schema.LabelSelectorSchema;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;

/** The edge devices that run layers 1..l. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "!has(self.daemonSet) || (has(self.selector.matchLabels) && size(self.selector.matchLabels) > 0)",
        message = "an in-cluster edge daemonSet needs selector.matchLabels: they become the labels of its pods",
        fieldPath = ".selector")
public class EdgesSpec {

    @Required
    @JsonPropertyDescription("Label selector of the edge-runtime pods of this fleet. The operator reads their metrics"
            + " (link goodput, stage latencies) and scrapes them with a PodMonitor when the Prometheus Operator is"
            + " installed.")
    @SchemaFrom(type = LabelSelectorSchema.class)
    private LabelSelector selector;

    @Required
    @Size(min = 1, max = 32)
    @ValidationRule(
            value = "self.all(a, self.exists_one(b, b.name == a.name))",
            message = "device class names must be unique")
    @JsonPropertyDescription("Device classes: groups of edges with the same hardware and budgets. The plan holds one"
            + " rate-indexed table per class.")
    private List<DeviceClassSpec> deviceClasses;

    @JsonPropertyDescription("Optional: run the edge runtime in the cluster as a DaemonSet on the nodes of the device"
            + " classes. Unset: the edges run elsewhere and only read the plan ConfigMap.")
    private EdgeDaemonSetSpec daemonSet;

    public LabelSelector getSelector() {
        return selector;
    }

    public void setSelector(LabelSelector selector) {
        this.selector = selector;
    }

    public List<DeviceClassSpec> getDeviceClasses() {
        return deviceClasses;
    }

    public void setDeviceClasses(List<DeviceClassSpec> deviceClasses) {
        this.deviceClasses = deviceClasses;
    }

    public EdgeDaemonSetSpec getDaemonSet() {
        return daemonSet;
    }

    public void setDaemonSet(EdgeDaemonSetSpec daemonSet) {
        this.daemonSet = daemonSet;
    }
}
