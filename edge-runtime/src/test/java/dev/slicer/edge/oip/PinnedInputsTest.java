package dev.slicer.edge.oip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slicer.edge.infer.EdgeFailure;
import dev.slicer.edge.model.EdgeModel;
import dev.slicer.model.builder.SwitchedMlp;
import dev.slicer.model.split.SplittableModel;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A model served specialized for a scalar (its If on {@code sr} inlined for 16000): a request with that value is
 * served, one with another is a 400 naming the input and the value, never an answer from the wrong branch.
 */
class PinnedInputsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EdgeModel model = new EdgeModel(
            "switched.onnx",
            "switched",
            SplittableModel.of(SwitchedMlp.build(SwitchedMlp.SR_IS_16K), "switched"),
            Optional.empty(),
            2);
    private final OipInputs inputs = new OipInputs(model, 128, 1 << 20, 8);

    private static JsonNode request(long sr) throws Exception {
        StringBuilder x = new StringBuilder();
        for (int i = 0; i < SwitchedMlp.WIDTH; i++) {
            x.append(i == 0 ? "" : ",").append(i % 7 * 0.1);
        }
        return JSON.readTree("[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1," + SwitchedMlp.WIDTH
                + "],\"data\":[" + x + "]},{\"name\":\"sr\",\"datatype\":\"INT64\",\"shape\":[],\"data\":[" + sr
                + "]}]");
    }

    @Test
    void thePinnedValueIsServedAndAnotherIsRefused() throws Exception {
        assertThat(model.splittable().pinnedInputs()).containsOnlyKeys("sr");
        assertThat(inputs.parse(request(16000)).get("sr").longs()).containsExactly(16000L);
        EdgeFailure refused = catchThrowableOfType(EdgeFailure.class, () -> inputs.parse(request(8000)));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.getMessage()).contains("input 'sr' must be 16000").contains("got 8000");
    }
}
