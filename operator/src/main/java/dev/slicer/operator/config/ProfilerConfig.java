package dev.slicer.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The in-cluster profiling Job ({@code slicer.operator.profiler.*}). */
@ConfigMapping(prefix = "slicer.operator.profiler")
public interface ProfilerConfig {

    /**
     * Service account the Job runs as, in the resource's namespace: it needs {@code get, create, patch} on
     * ConfigMaps there to write {@code <name>-profile} (the Helm chart's ClusterRole {@code slicer-profiler}).
     */
    @WithDefault("slicer-profiler")
    String serviceAccount();

    /** Image of the step that writes the ConfigMap (kubectl with a shell). */
    @WithDefault("docker.io/bitnami/kubectl:1.31")
    String kubectlImage();

    /** Sample inputs {@code plan calibrate} measures each setting on (its {@code --samples}). */
    @WithDefault(dev.slicer.planner.cli.PlanCli.DEFAULT_CALIBRATION_SAMPLES)
    int samples();

    /** Upper bound of one profiling run (model download, profiling, calibration). */
    @WithDefault("2h")
    Duration deadline();
}
