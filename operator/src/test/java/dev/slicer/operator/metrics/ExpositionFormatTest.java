package dev.slicer.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExpositionFormatTest {

    @Test
    void readsNamesLabelsValuesAndSkipsCommentsAndUnwantedSeries() throws Exception {
        String text =
                """
                # HELP slicer_backend_compute_seconds_total busy seconds
                # TYPE slicer_backend_compute_seconds_total counter
                slicer_backend_compute_seconds_total{provider="CPU",} 12.5

                slicer_edge_stage_duration_seconds_sum{device_class="phone",stage="front"} 1.25e-1 1700000000000
                jvm_threads_live_threads 42.0
                slicer_edge_link_goodput_bytes_per_second{device_class="a \\"quoted\\" \\\\ class\\n"} +Inf
                slicer_backend_queue_delay_seconds_count NaN
                """;
        List<ExpositionFormat.Sample> samples = ExpositionFormat.parse(text, n -> n.startsWith("slicer_"));
        assertThat(samples).hasSize(4);
        assertThat(samples.get(0))
                .isEqualTo(new ExpositionFormat.Sample(
                        "slicer_backend_compute_seconds_total", Map.of("provider", "CPU"), 12.5));
        assertThat(samples.get(1).labels())
                .containsEntry("device_class", "phone")
                .containsEntry("stage", "front");
        assertThat(samples.get(1).value()).isEqualTo(0.125);
        assertThat(samples.get(2).labels()).containsEntry("device_class", "a \"quoted\" \\ class\n");
        assertThat(samples.get(2).value()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(samples.get(3).value()).isNaN();
    }

    /** As Prometheus does, one bad line refuses the whole scrape, with the line named. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "slicer_x",
                "slicer_x{a=\"b\"}",
                "slicer_x{a=\"unterminated} 1",
                "slicer_x{a=b} 1",
                "slicer_x{a=\"b\" c=\"d\"} 1",
                "slicer_x Infinity",
                "slicer_x 0x1p3",
                "slicer_x 1d",
                "slicer_x 1 2 3",
                "9slicer 1",
                "{a=\"b\"} 1",
            })
    void aMalformedLineRefusesTheScrape(String line) {
        assertThatThrownBy(() -> ExpositionFormat.parse("ok 1\n" + line + "\n", n -> true))
                .isInstanceOf(MetricsUnavailableException.class)
                .hasMessageStartingWith("malformed metrics line 2: ");
    }

    @Test
    void aMalformedSeriesIsRefusedEvenWhenItsNameIsNotWanted() {
        assertThatThrownBy(() -> ExpositionFormat.parse("other{a=\"b\" 1\n", n -> false))
                .isInstanceOf(MetricsUnavailableException.class);
    }

    @Test
    void hostileSizesAreBounded() {
        StringBuilder labels = new StringBuilder("slicer_x{");
        for (int i = 0; i <= ExpositionFormat.MAX_LABELS; i++) {
            labels.append("l").append(i).append("=\"v\",");
        }
        String tooManyLabels = labels.append("} 1").toString();
        assertThatThrownBy(() -> ExpositionFormat.parse(tooManyLabels, n -> true))
                .isInstanceOf(MetricsUnavailableException.class)
                .hasMessageContaining("more than " + ExpositionFormat.MAX_LABELS + " labels");

        String tooManySamples = "slicer_x 1\n".repeat(ExpositionFormat.MAX_SAMPLES + 1);
        assertThatThrownBy(() -> ExpositionFormat.parse(tooManySamples, n -> true))
                .isInstanceOf(MetricsUnavailableException.class)
                .hasMessageContaining("more than " + ExpositionFormat.MAX_SAMPLES + " samples");
    }

    /** Mangled answers (bytes flipped, cut, repeated) either parse or are refused as unavailable, nothing else. */
    @Test
    void mangledAnswersNeverEscapeAsAnotherException() {
        String valid =
                """
                # TYPE slicer_edge_stage_duration_seconds histogram
                slicer_edge_stage_duration_seconds_bucket{device_class="phone",stage="front",le="+Inf"} 3
                slicer_edge_stage_duration_seconds_sum{device_class="phone",stage="front"} 0.5
                slicer_edge_link_goodput_bytes_per_second{device_class="a\\b\"c"} 1.5e6 1700000000000
                slicer_backend_compute_seconds_total -Inf
                """;
        String alphabet = "{}=\",\\ \n\t.e+-#0123456789aZ_:";
        java.util.Random random = new java.util.Random(42);
        int refused = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder b = new StringBuilder(valid);
            for (int edits = 1 + random.nextInt(4); edits > 0; edits--) {
                int at = random.nextInt(b.length());
                switch (random.nextInt(3)) {
                    case 0 -> b.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 1 -> b.deleteCharAt(at);
                    default -> b.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            try {
                ExpositionFormat.parse(b.toString(), n -> true);
            } catch (MetricsUnavailableException e) {
                refused++;
            }
        }
        assertThat(refused).as("most mangled answers are refused").isGreaterThan(1000);
    }
}
