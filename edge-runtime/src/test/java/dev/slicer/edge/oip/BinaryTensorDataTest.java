package dev.slicer.edge.oip;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;

import dev.slicer.edge.testing.BackendResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The binary tensor data extension as the Triton client frames it: a JSON header of Inference-Header-Content-Length
 * bytes, then the inputs' raw bytes; binary outputs come back the same way.
 */
@QuarkusTest
@QuarkusTestResource(value = BackendResource.class, restrictToAnnotatedClass = true)
class BinaryTensorDataTest {
    private static final String HELLO = "Hello, world!";

    private static byte[] strings(String... texts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String t : texts) {
            byte[] b = t.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(ByteBuffer.allocate(4)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(b.length)
                    .array());
            out.writeBytes(b);
        }
        return out.toByteArray();
    }

    private static Response post(String json, byte[] binary) {
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[header.length + binary.length];
        System.arraycopy(header, 0, body, 0, header.length);
        System.arraycopy(binary, 0, body, header.length, binary.length);
        return given().contentType(ContentType.BINARY)
                .header(BinaryTensors.HEADER, header.length)
                .body(body)
                .post("/v2/models/minilm/infer");
    }

    private static String textRequest(int size, String outputs) {
        return "{\"inputs\": [{\"name\": \"text\", \"shape\": [1], \"datatype\": \"BYTES\", \"parameters\":"
                + " {\"binary_data_size\": " + size + "}}]" + outputs + "}";
    }

    @Test
    void binaryInputsAndOutputsCarryTheSameTensorsAsJson() {
        List<Float> json = given().contentType(ContentType.JSON)
                .body("{\"inputs\": [{\"name\": \"text\", \"shape\": [1], \"datatype\": \"BYTES\", \"data\": [\""
                        + HELLO + "\"]}]}")
                .post("/v2/models/minilm/infer")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("outputs[0].data", Float.class);

        byte[] in = strings(HELLO);
        // no outputs named: the request-level default asks for every output as binary, as tritonclient does
        Response r = post(textRequest(in.length, ", \"parameters\": {\"binary_data_output\": true}"), in);
        r.then().statusCode(200);
        int headerLength = Integer.parseInt(r.header(BinaryTensors.HEADER));
        byte[] body = r.asByteArray();
        String header = new String(body, 0, headerLength, StandardCharsets.UTF_8);
        var parsed = io.restassured.path.json.JsonPath.from(header);
        assertThat(parsed.getList("outputs.name")).hasSizeGreaterThanOrEqualTo(2);
        assertThat(parsed.getMap("outputs[0]")).doesNotContainKey("data");
        int size = parsed.getInt("outputs[0].parameters.binary_data_size");
        assertThat(size).isEqualTo(json.size() * 4);
        ByteBuffer raw = ByteBuffer.wrap(body, headerLength, size).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < json.size(); i++) {
            assertThat(raw.getFloat()).isEqualTo(json.get(i));
        }
        int total = headerLength;
        for (int i = 0; i < parsed.getList("outputs").size(); i++) {
            total += parsed.getInt("outputs[" + i + "].parameters.binary_data_size");
        }
        assertThat(body).hasSize(total);

        // binary in, JSON out for the one output asked for without binary_data
        String name = parsed.getString("outputs[0].name");
        post(
                        textRequest(
                                in.length,
                                ", \"outputs\": [{\"name\": \"" + name + "\", \"parameters\": {\"binary_data\":"
                                        + " false}}]"),
                        in)
                .then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .body("outputs[0].data", notNullValue());

        // INT64 token ids as binary data
        long[] ids = {101, 7592, 1010, 2088, 999, 102};
        ByteBuffer b = ByteBuffer.allocate(ids.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long id : ids) {
            b.putLong(id);
        }
        post(
                        "{\"inputs\": [{\"name\": \"input_ids\", \"shape\": [1, 6], \"datatype\": \"INT64\", \"parameters\":"
                                + " {\"binary_data_size\": 48}}]}",
                        b.array())
                .then()
                .statusCode(200)
                .body("outputs[0].shape[1]", org.hamcrest.Matchers.equalTo(6));
    }

    @Test
    void hostileFramingIs400AndTheEdgeServesOn() {
        byte[] in = strings(HELLO);
        // sizes beyond the body, trailing bytes, a length prefix beyond its input, wrong widths, bad header values
        post(textRequest(1 << 30, ""), in).then().statusCode(400).body("error", containsString("remain"));
        post(textRequest(in.length - 1, ""), in).then().statusCode(400).body("error", notNullValue());
        byte[] lying = in.clone();
        lying[3] = 0x7F; // element length ~2^31
        post(textRequest(lying.length, ""), lying).then().statusCode(400).body("error", containsString("declares"));
        post(
                        "{\"inputs\": [{\"name\": \"input_ids\", \"shape\": [1, 6], \"datatype\": \"INT64\", \"parameters\":"
                                + " {\"binary_data_size\": 47}}]}",
                        new byte[47])
                .then()
                .statusCode(400)
                .body("error", containsString("binary_data_size"));
        post(
                        "{\"inputs\": [{\"name\": \"input_ids\", \"shape\": [1, 2], \"datatype\": \"INT64\", \"parameters\":"
                                + " {\"binary_data_size\": -16}}]}",
                        new byte[16])
                .then()
                .statusCode(400);
        post(
                        "{\"inputs\": [{\"name\": \"text\", \"shape\": [3], \"datatype\": \"BYTES\", \"parameters\":"
                                + " {\"binary_data_size\": 4}}]}",
                        new byte[4])
                .then()
                .statusCode(400)
                .body("error", containsString("at least 4"));
        byte[] notUtf8 = {1, 0, 0, 0, (byte) 0xC3};
        post(textRequest(notUtf8.length, ""), notUtf8).then().statusCode(400).body("error", containsString("UTF-8"));
        for (String header : List.of("-1", "x", "999999")) {
            given().contentType(ContentType.BINARY)
                    .header(BinaryTensors.HEADER, header)
                    .body(new byte[] {'{', '}'})
                    .post("/v2/models/minilm/infer")
                    .then()
                    .statusCode(400)
                    .body("error", containsString(BinaryTensors.HEADER));
        }
        post(textRequest(in.length, ""), in).then().statusCode(200);
    }
}
