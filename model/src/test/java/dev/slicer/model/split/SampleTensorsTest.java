package dev.slicer.model.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slicer.model.InvalidSampleException;
import dev.slicer.model.WildModels;
import dev.slicer.model.onnx.OnnxIo;
import dev.slicer.model.onnx.Tensors;
import dev.slicer.model.onnx.proto.Onnx.ModelProto;
import dev.slicer.model.onnx.proto.Onnx.TensorProto;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sample inputs from input_N.pb / NAME.npy files, and a typed error for every unusable one. */
class SampleTensorsTest {
    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ALWAYS)
    Path dir;

    private static final ModelProto MLP = WildModels.constantWeightMlp(13); // x float[batch,64] -> y[batch,16]

    private static float[] ramp(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (i % 17) / 17f - 0.5f;
        }
        return v;
    }

    /** A .npy v1.0 file as numpy.save writes it (header padded to 64 bytes). */
    static byte[] npy(String descr, long[] shape, byte[] data) {
        StringBuilder sh = new StringBuilder();
        for (long d : shape) {
            sh.append(d).append(", ");
        }
        String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': ("
                + sh.toString().strip() + "), }";
        int pad = 64 - (10 + header.length() + 1) % 64;
        header = header + " ".repeat(pad) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x93);
        out.writeBytes("NUMPY".getBytes(StandardCharsets.US_ASCII));
        out.write(1);
        out.write(0);
        out.write(header.length() & 0xff);
        out.write(header.length() >> 8);
        out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(data);
        return out.toByteArray();
    }

    static byte[] le(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    @Test
    void onnxTestDataPbIsUsedAsTheInputEverywhere() throws Exception {
        Path model = dir.resolve("mlp.onnx");
        OnnxIo.save(MLP, model);
        Path samples = Files.createDirectories(dir.resolve("test_data_set_0"));
        float[] x = ramp(3 * 64);
        // raw_data little-endian, unnamed: matched to input 0 by position
        TensorProto t = Tensors.raw("", TensorProto.DataType.FLOAT_VALUE, new long[] {3, 64}, le(x));
        Files.write(samples.resolve("input_0.pb"), t.toByteArray());
        SplittableModel m = SplittableModel.load(model.toString(), Map.of(), samples);
        HostTensor used = SampleInputs.generate(m.model(), m.referenceDims(), 1).get("x");
        assertThat(used.shape()).containsExactly(3, 64);
        assertThat(used.floats()).containsExactly(x);
        assertThat(SampleInputs.describe(m.model(), m.verificationDims()))
                .containsExactly("x float32[3, 64] sample (given values)");
        assertThat(SplitVerifier.verify(m, m.candidates(), null).allExact()).isTrue();
    }

    @Test
    void npyByInputNameAndTypedFloatData() throws Exception {
        float[] x = ramp(2 * 64);
        Files.write(dir.resolve("x.npy"), npy("<f4", new long[] {2, 64}, le(x)));
        assertThat(SampleTensors.load(dir, MLP).get("x").floats()).containsExactly(x);
        Path pb = Files.createDirectories(dir.resolve("pb"));
        Files.write(
                pb.resolve("input_0.pb"),
                Tensors.floats("x", new long[] {2, 64}, x).toByteArray());
        assertThat(SampleTensors.load(pb, MLP).get("x").floats()).containsExactly(x);
    }

    @Test
    void unusableSamplesAreTypedErrorsNamingTheFile() throws Exception {
        assertThatThrownBy(() -> SampleTensors.load(dir.resolve("absent"), MLP))
                .isInstanceOf(InvalidSampleException.class)
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> SampleTensors.load(dir, MLP))
                .isInstanceOf(InvalidSampleException.class)
                .hasMessageContaining("no input_N.pb, NAME.npy or image file");
        Path bad = Files.createDirectories(dir.resolve("malformed"));
        Files.write(bad.resolve("input_0.pb"), new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01});
        assertThatThrownBy(() -> SampleTensors.load(bad, MLP))
                .isInstanceOf(InvalidSampleException.class)
                .hasMessageContaining("input_0.pb")
                .hasMessageContaining("not a TensorProto");
        Path shape = Files.createDirectories(dir.resolve("shape"));
        Files.write(shape.resolve("x.npy"), npy("<f4", new long[] {2, 63}, le(ramp(126))));
        assertThatThrownBy(() -> SampleTensors.load(shape, MLP))
                .isInstanceOf(InvalidSampleException.class)
                .hasMessageContaining("needs dimension 1 = 64");
        Path type = Files.createDirectories(dir.resolve("type"));
        Files.write(type.resolve("x.npy"), npy("<i8", new long[] {1, 64}, new byte[8 * 64]));
        assertThatThrownBy(() -> SampleTensors.load(type, MLP))
                .isInstanceOf(InvalidSampleException.class)
                .hasMessageContaining("is float32, the sample is int64");
        Path name = Files.createDirectories(dir.resolve("name"));
        Files.write(name.resolve("pixels.npy"), npy("<f4", new long[] {1, 64}, le(ramp(64))));
        assertThatThrownBy(() -> SampleTensors.load(name, MLP))
                .isInstanceOf(InvalidSampleException.class)
                .hasMessageContaining("no input 'pixels' (inputs: x)");
        Path truncated = Files.createDirectories(dir.resolve("truncated"));
        byte[] whole = npy("<f4", new long[] {1, 64}, le(ramp(64)));
        Files.write(truncated.resolve("x.npy"), java.util.Arrays.copyOf(whole, whole.length - 4));
        assertThatThrownBy(() -> SampleTensors.load(truncated, MLP))
                .isInstanceOf(InvalidSampleException.class)
                .hasMessageContaining("252 data bytes");
        Path raw = Files.createDirectories(dir.resolve("raw"));
        Files.write(
                raw.resolve("input_0.pb"),
                Tensors.raw("x", TensorProto.DataType.FLOAT_VALUE, new long[] {1, 64}, new byte[12])
                        .toByteArray());
        assertThatThrownBy(() -> SampleTensors.load(raw, MLP))
                .isInstanceOf(InvalidSampleException.class)
                .hasMessageContaining("raw_data has 12 bytes");
        Path huge = Files.createDirectories(dir.resolve("huge"));
        Files.write(
                huge.resolve("input_0.pb"),
                TensorProto.newBuilder()
                        .setDataType(TensorProto.DataType.FLOAT_VALUE)
                        .addDims(1L << 40)
                        .addDims(1L << 40)
                        .build()
                        .toByteArray());
        assertThatThrownBy(() -> SampleTensors.load(huge, MLP))
                .isInstanceOf(InvalidSampleException.class)
                .hasMessageContaining("impossible shape");
    }
}
