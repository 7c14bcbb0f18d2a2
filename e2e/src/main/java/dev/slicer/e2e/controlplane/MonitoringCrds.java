package dev.slicer.e2e.controlplane;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Prometheus Operator's ServiceMonitor and PodMonitor CRDs as released (from the prometheus-operator Go module,
 * fetched by {@code e2e/controlplane/monitoring-crds.sh}), installed on the real API server: with them present the
 * operator creates its monitors, and the server checks them against the real schema.
 */
public final class MonitoringCrds {
    private static final Duration FETCH_TIMEOUT = Duration.ofMinutes(5);
    private static final List<String> FILES =
            List.of("monitoring.coreos.com_servicemonitors.yaml", "monitoring.coreos.com_podmonitors.yaml");

    private MonitoringCrds() {}

    /** Installs both CRDs (idempotent) and waits until they are served. */
    public static void install(KubernetesClient admin) throws IOException, InterruptedException {
        Path dir = fetch();
        for (String file : FILES) {
            try (InputStream in = Files.newInputStream(dir.resolve(file))) {
                SplitInferenceCrd.establish(
                        admin, admin.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class));
            }
        }
    }

    private static Path fetch() throws IOException, InterruptedException {
        Path script = ControlPlaneBinaries.moduleDir().resolve("monitoring-crds.sh");
        Process p = new ProcessBuilder("bash", script.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        p.getOutputStream().close();
        String out;
        try (InputStream stdout = p.getInputStream()) {
            out = new String(stdout.readNBytes(64 * 1024), StandardCharsets.UTF_8).strip();
        }
        if (!p.waitFor(FETCH_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(script + " did not finish within " + FETCH_TIMEOUT);
        }
        if (p.exitValue() != 0 || out.isEmpty()) {
            throw new IllegalStateException(script + " failed (exit " + p.exitValue() + "; see its stderr above)");
        }
        return Path.of(out);
    }
}
