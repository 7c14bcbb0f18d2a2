package dev.slicer.crds.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** Summary of the published plan. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PlanSummary {

    @JsonPropertyDescription("Name of the ConfigMap holding the full plan (<name>-plan).")
    private String configMap;

    @JsonPropertyDescription("Content hash of the plan; the ConfigMap is rewritten only when it changes.")
    private String hash;

    @JsonPropertyDescription("When the current plan was computed (RFC 3339).")
    private String lastPlanTime;

    @JsonPropertyDescription("One-line summary of the splits in use, e.g. `phone:encoder.layer.3 jetson:local`.")
    private String summary;

    @JsonPropertyDescription("Per device class: the split in use at the current link rate and what it predicts.")
    private List<DeviceClassPlan> deviceClasses = new ArrayList<>();

    public String getConfigMap() {
        return configMap;
    }

    public void setConfigMap(String configMap) {
        this.configMap = configMap;
    }

    public String getHash() {
        return hash;
    }

    public void setHash(String hash) {
        this.hash = hash;
    }

    public String getLastPlanTime() {
        return lastPlanTime;
    }

    public void setLastPlanTime(String lastPlanTime) {
        this.lastPlanTime = lastPlanTime;
    }

    public String getSummary() {
        return summary;
    }

    public void setSummary(String summary) {
        this.summary = summary;
    }

    public List<DeviceClassPlan> getDeviceClasses() {
        return deviceClasses;
    }

    public void setDeviceClasses(List<DeviceClassPlan> deviceClasses) {
        this.deviceClasses = deviceClasses;
    }
}
