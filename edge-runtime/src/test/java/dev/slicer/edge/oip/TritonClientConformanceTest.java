package dev.slicer.edge.oip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slicer.edge.testing.BackendResource;
import dev.slicer.edge.testing.Python;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * OIP conformance with a real client: the official Triton HTTP client ({@code tritonclient[http]} from PyPI, in a venv
 * under target/ made by src/test/python/oip-venv.sh) drives the running edge. Skipped, loudly, when PyPI is down.
 */
@QuarkusTest
@QuarkusTestResource(value = BackendResource.class, restrictToAnnotatedClass = true)
class TritonClientConformanceTest {
    @TestHTTPResource("/")
    URL base;

    @Test
    void tritonClientDrivesTheEdge() throws Exception {
        Path venv = Path.of("target", "oip-venv").toAbsolutePath();
        Python.Result setup = Python.run(List.of("bash", "src/test/python/oip-venv.sh", venv.toString()), 600);
        if (setup.code() == 3) {
            System.err.println("WARNING: SKIPPING the tritonclient OIP conformance test: " + setup.output());
            Assumptions.abort("PyPI unreachable: " + setup.output());
        }
        assertThat(setup.code()).as(setup.output()).isZero();
        String url = base.getHost() + ":" + base.getPort();
        Python.Result r = Python.run(
                List.of(venv.resolve("bin/python").toString(), "src/test/python/oip_conformance.py", url, "minilm"),
                300);
        System.out.println(r.output());
        assertThat(r.code()).as(r.output()).isZero();
        assertThat(r.output()).contains("oip-conformance: ok");
    }
}
