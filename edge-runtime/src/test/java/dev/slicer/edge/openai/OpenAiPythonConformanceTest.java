package dev.slicer.edge.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slicer.edge.testing.ArBackendResource;
import dev.slicer.edge.testing.Python;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The official OpenAI Python client ({@code openai} from PyPI, in a venv under target/ made by
 * src/test/python/openai-venv.sh) drives the running edge. Skipped, loudly, when PyPI is down.
 */
@QuarkusTest
@QuarkusTestResource(value = ArBackendResource.class, restrictToAnnotatedClass = true)
class OpenAiPythonConformanceTest {
    @TestHTTPResource("/v1")
    URL base;

    @Test
    void pythonClientDrivesTheEdge() throws Exception {
        Path venv = Path.of("target", "openai-venv").toAbsolutePath();
        Python.Result setup = Python.run(List.of("bash", "src/test/python/openai-venv.sh", venv.toString()), 600);
        if (setup.code() == 3) {
            System.err.println("WARNING: SKIPPING the OpenAI Python client conformance test: " + setup.output());
            Assumptions.abort("PyPI unreachable: " + setup.output());
        }
        assertThat(setup.code()).as(setup.output()).isZero();
        Path expected = Files.createTempFile(Path.of("target"), "openai-expected-", ".txt");
        Files.writeString(expected, OpenAiClientTest.reference("Once upon a time", 40), StandardCharsets.UTF_8);
        Python.Result r = Python.run(
                List.of(
                        venv.resolve("bin/python").toString(),
                        "src/test/python/openai_conformance.py",
                        base.toString(),
                        "tiny-llama",
                        expected.toString()),
                300);
        System.out.println(r.output());
        assertThat(r.code()).as(r.output()).isZero();
        assertThat(r.output()).contains("openai-conformance: ok");
    }
}
