package dev.slicer.edge.oip;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import dev.slicer.edge.testing.BackendResource;
import dev.slicer.edge.testing.TestBackend;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Open Inference Protocol v2 REST API of a real MiniLM edge against a gRPC back-end stand-in. */
@QuarkusTest
@QuarkusTestResource(value = BackendResource.class, restrictToAnnotatedClass = true)
class OipResourceTest {
    static final String TEXT =
            """
            {"id": "t1", "inputs": [{"name": "text", "shape": [2], "datatype": "BYTES",
              "data": ["Hello, world!", "Edges ship intermediate features."]}]}""";

    @Test
    void healthAndMetadata() {
        given().get("/v2/health/live").then().statusCode(200).body("live", equalTo(true));
        given().get("/v2/health/ready").then().statusCode(200).body("ready", equalTo(true));
        given().get("/v2/models/all-minilm-l6-v2".replace("all-minilm-l6-v2", "minilm") + "/ready")
                .then()
                .statusCode(200)
                .body("ready", equalTo(true));
        given().get("/v2/models/minilm")
                .then()
                .statusCode(200)
                .body("name", equalTo("minilm"))
                .body("versions", hasItem("1"))
                .body("inputs.name", hasItem("text"))
                .body("inputs.find { it.name == 'input_ids' }.datatype", equalTo("INT64"))
                .body("outputs[0].datatype", equalTo("FP32"));
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void theLinkEmulationEndpointIsOffByDefault() {
        given().get("/slicer/link").then().statusCode(404).body("error", containsString("link-emulation"));
        given().contentType(ContentType.JSON)
                .body("{\"bytesPerSecond\": 5000}")
                .put("/slicer/link")
                .then()
                .statusCode(404);
    }

    @Test
    void unknownModelIs404WithTheErrorObject() {
        given().get("/v2/models/resnet").then().statusCode(404).body("error", containsString("unknown model"));
        given().get("/v2/models/resnet/ready").then().statusCode(404).body("error", notNullValue());
        given().contentType(ContentType.JSON)
                .body(TEXT)
                .post("/v2/models/resnet/infer")
                .then()
                .statusCode(404)
                .body("error", containsString("resnet"));
        given().get("/v2/models/minilm/versions/7").then().statusCode(404).body("error", containsString("version"));
    }

    @Test
    void theBackEndIsAskedOnlyForTheOutputsTheClientNames() {
        List<String> names = given().get("/v2/models/minilm").jsonPath().getList("outputs.name", String.class);
        assertThat(names).as("the test needs more than one output").hasSizeGreaterThan(1);
        String one = names.get(names.size() - 1);
        String body = TEXT.substring(0, TEXT.lastIndexOf('}')) + ", \"outputs\": [{\"name\": \"" + one + "\"}]}";
        given().contentType(ContentType.JSON)
                .body(body)
                .post("/v2/models/minilm/infer")
                .then()
                .statusCode(200)
                .body("outputs.size()", equalTo(1))
                .body("outputs[0].name", equalTo(one));
        List<dev.slicer.protocol.v1.InferRequest> sent = BackendResource.backend.requests();
        assertThat(sent.get(sent.size() - 1).getOutputsList())
                .as("the others need not cross the downlink")
                .containsExactly(one);

        given().contentType(ContentType.JSON)
                .body(TEXT)
                .post("/v2/models/minilm/infer")
                .then()
                .statusCode(200)
                .body("outputs.size()", equalTo(names.size()));
        assertThat(sent.get(sent.size() - 1).getOutputsList())
                .as("no names: every output")
                .isEmpty();
    }

    @Test
    void textAndTokenIdsGiveTheSameOutput() {
        JsonPath text = given().contentType(ContentType.JSON)
                .body(TEXT)
                .post("/v2/models/minilm/infer")
                .then()
                .statusCode(200)
                .body("model_name", equalTo("minilm"))
                .body("id", equalTo("t1"))
                .body("outputs[0].datatype", equalTo("FP32"))
                .body("outputs[0].shape[0]", equalTo(2))
                .body("outputs[0].shape[2]", equalTo(384))
                .body("parameters.slicer_split", equalTo(-1))
                .body("parameters.slicer_if_raw_bytes", equalTo(3 * 2 * 7 * 8))
                .body("parameters.slicer_timings.transfer", notNullValue())
                .body("parameters.slicer_batch_size", equalTo(1))
                .extract()
                .jsonPath();
        // "Hello, world!" in the MiniLM vocabulary, padded to the batch's longest row (7 tokens)
        String ids =
                """
                {"inputs": [
                  {"name": "input_ids", "shape": [1, 6], "datatype": "INT64", "data": [[101, 7592, 1010, 2088, 999, 102]]},
                  {"name": "attention_mask", "shape": [1, 6], "datatype": "INT64", "data": [1, 1, 1, 1, 1, 1]}]}""";
        JsonPath direct = given().contentType(ContentType.JSON)
                .body(ids)
                .post("/v2/models/minilm/infer")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        List<Float> a = text.getList("outputs[0].data", Float.class);
        List<Float> b = direct.getList("outputs[0].data", Float.class);
        List<Integer> shape = text.getList("outputs[0].shape", Integer.class);
        int len = shape.get(1);
        int hidden = shape.get(2);
        assertThat(b).hasSize(6 * hidden);
        // row 0 of the text batch, first 6 tokens (its attention covers exactly these)
        for (int i = 0; i < 6 * hidden; i++) {
            assertThat(a.get(i)).isCloseTo(b.get(i), org.assertj.core.data.Offset.offset(2e-4f));
        }
        assertThat(len).isGreaterThanOrEqualTo(6);
    }

    @Test
    void badInputsAre400WithTheErrorObject() {
        String[] bad = {
            "not json",
            "[1, 2]",
            "{\"inputs\": []}",
            "{\"inputs\": [{\"name\": \"input_ids\", \"shape\": [1, 3], \"datatype\": \"INT64\", \"data\": [1, 2]}]}",
            "{\"inputs\": [{\"name\": \"input_ids\", \"shape\": [1, -3], \"datatype\": \"INT64\", \"data\": [1]}]}",
            "{\"inputs\": [{\"name\": \"input_ids\", \"shape\": [1, 2], \"datatype\": \"FP32\", \"data\": [1.5, 2]}]}",
            "{\"inputs\": [{\"name\": \"pixels\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [1]}]}",
            "{\"inputs\": [{\"name\": \"text\", \"shape\": [1], \"datatype\": \"BYTES\", \"data\": [42]}]}",
            "{\"inputs\": [{\"name\": \"input_ids\", \"shape\": [100000, 100000], \"datatype\": \"INT64\", \"data\": [1]}]}",
            "{\"inputs\": [{\"name\": \"text\", \"shape\": [1], \"datatype\": \"BYTES\", \"data\": [\"x\"]}],"
                    + " \"outputs\": [{\"name\": \"nope\"}]}",
            "{\"inputs\": [{\"name\": \"input_ids\", \"shape\": [1, 2], \"datatype\": \"INT64\", \"data\": [1, 99999999]}]}"
        };
        for (String body : bad) {
            given().contentType(ContentType.JSON)
                    .body(body)
                    .post("/v2/models/minilm/infer")
                    .then()
                    .statusCode(400)
                    .contentType(ContentType.JSON)
                    .body("error", notNullValue());
        }
    }

    @Test
    void overloadIs429AndUnavailableIs503NamingTheCause() {
        TestBackend b = BackendResource.backend;
        b.failNext(2, TestBackend::queueFull);
        given().contentType(ContentType.JSON)
                .body(TEXT)
                .post("/v2/models/minilm/infer")
                .then()
                .statusCode(429)
                .body("error", containsString("RESOURCE_EXHAUSTED"));
        b.failNext(2, TestBackend::draining);
        given().contentType(ContentType.JSON)
                .body(TEXT)
                .post("/v2/models/minilm/infer")
                .then()
                .statusCode(503)
                .body("error", containsString("DRAINING"));
        given().contentType(ContentType.JSON)
                .body(TEXT)
                .post("/v2/models/minilm/infer")
                .then()
                .statusCode(200);
    }
}
