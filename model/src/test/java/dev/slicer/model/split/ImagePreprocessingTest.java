package dev.slicer.model.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.slicer.model.InvalidSampleException;
import dev.slicer.model.builder.GraphBuilder;
import dev.slicer.model.builtin.BuiltinModels;
import dev.slicer.model.onnx.OnnxIo;
import dev.slicer.model.onnx.proto.Onnx.ModelProto;
import dev.slicer.model.onnx.proto.Onnx.TensorProto.DataType;
import dev.slicer.model.onnx.proto.Onnx.ValueInfoProto;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image files as inputs: resize, layout, scale, mean/std, channel order; a typed error for every unusable one. */
class ImagePreprocessingTest {
    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ALWAYS)
    Path dir;

    /** An input of the given element type and dims (0 = symbolic). */
    private static ValueInfoProto input(String name, int elemType, long... dims) {
        return GraphBuilder.valueInfo(
                name,
                elemType,
                java.util.Arrays.stream(dims)
                        .mapToObj(d -> d > 0 ? Long.toString(d) : "d")
                        .toArray(String[]::new));
    }

    /** An image whose left half is pure red and right half pure blue. */
    private Path redBlue(String file, int h, int w) throws Exception {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, w / 2, h);
        g.setColor(Color.BLUE);
        g.fillRect(w / 2, 0, w - w / 2, h);
        g.dispose();
        Path p = dir.resolve(file);
        ImageIO.write(img, "png", p.toFile());
        return p;
    }

    private static float at(HostTensor t, int... idx) {
        long[] s = t.shape();
        long flat = 0;
        for (int i = 0; i < idx.length; i++) {
            flat = flat * s[i] + idx[i];
        }
        return ((float[]) t.data())[(int) flat];
    }

    @Test
    void nchwFromTheInputShapeResizedScaledAndNormalised() throws Exception {
        Path png = redBlue("x.png", 16, 24);
        var pre = new ImagePreprocessing(
                0, 0, null, new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f}, 255f, false);
        HostTensor t = pre.tensor(png, input("x", DataType.FLOAT_VALUE, 0, 3, 8, 12));
        assertThat(t.shape()).containsExactly(1, 3, 8, 12);
        // left column red: R=1, G=B=-1; right column blue: B=1, R=G=-1
        assertThat(at(t, 0, 0, 4, 0)).isCloseTo(1f, within(1e-6f));
        assertThat(at(t, 0, 1, 4, 0)).isCloseTo(-1f, within(1e-6f));
        assertThat(at(t, 0, 2, 4, 0)).isCloseTo(-1f, within(1e-6f));
        assertThat(at(t, 0, 0, 4, 11)).isCloseTo(-1f, within(1e-6f));
        assertThat(at(t, 0, 2, 4, 11)).isCloseTo(1f, within(1e-6f));
    }

    @Test
    void nhwcWithBgrAndAGivenSize() throws Exception {
        Path png = redBlue("x.png", 10, 10);
        var pre = new ImagePreprocessing(4, 6, null, new float[] {0f}, new float[] {1f}, 1f, true);
        HostTensor t = pre.tensor(png, input("x", DataType.FLOAT_VALUE, 0, 0, 0, 3));
        assertThat(t.shape()).containsExactly(1, 4, 6, 3);
        // BGR: channel 0 is blue; the red left edge has blue 0 and red 255 in channel 2 (scale 1 keeps 0..255)
        assertThat(at(t, 0, 1, 0, 0)).isEqualTo(0f);
        assertThat(at(t, 0, 1, 0, 2)).isEqualTo(255f);
        assertThat(at(t, 0, 1, 5, 0)).isEqualTo(255f);
    }

    @Test
    void oneChannelInputsTakeTheLuminance() throws Exception {
        Path png = redBlue("x.png", 4, 4);
        HostTensor t = ImagePreprocessing.DEFAULT.tensor(png, input("x", DataType.FLOAT_VALUE, 1, 1, 4, 4));
        assertThat(t.shape()).containsExactly(1, 1, 4, 4);
        assertThat(at(t, 0, 0, 0, 0)).isCloseTo(0.299f, within(1e-5f));
        assertThat(at(t, 0, 0, 0, 3)).isCloseTo(0.114f, within(1e-5f));
    }

    @Test
    void aRealImageModelRunsOnAnImageFromTheSampleDirectory() throws Exception {
        ModelProto model = OnnxIo.load(BuiltinModels.resolve("builtin:tiny-resnet"));
        ValueInfoProto in = model.getGraph().getInput(0);
        redBlue("input_0.png", 50, 70);
        Map<String, HostTensor> samples = SampleTensors.load(dir, model, ImagePreprocessing.DEFAULT);
        HostTensor t = samples.get(in.getName());
        assertThat(t).isNotNull();
        assertThat(t.shape()[0]).isEqualTo(1);
        SplittableModel m = SplittableModel.load("builtin:tiny-resnet", Map.of(), dir, ImagePreprocessing.DEFAULT);
        assertThat(m.inputNotes()).anySatisfy(n -> assertThat(n).contains(in.getName()));
    }

    @Test
    void imagesFeedOnlyRankFourFloatInputs() throws Exception {
        Path png = redBlue("x.png", 4, 4);
        assertThatThrownBy(() -> ImagePreprocessing.DEFAULT.tensor(png, input("ids", DataType.INT64_VALUE, 1, 4)))
                .isInstanceOf(InvalidSampleException.class)
                .hasMessageContaining("an image feeds a float input; ids is int64");
        assertThatThrownBy(() -> ImagePreprocessing.DEFAULT.tensor(png, input("x", DataType.FLOAT_VALUE, 1, 3, 4)))
                .isInstanceOf(InvalidSampleException.class)
                .hasMessageContaining("rank-4");
        assertThatThrownBy(() -> ImagePreprocessing.DEFAULT.tensor(png, input("x", DataType.FLOAT_VALUE, 1, 5, 4, 4)))
                .isInstanceOf(InvalidSampleException.class)
                .hasMessageContaining("5 channels");
    }

    @Test
    void aFileThatIsNoImageIsNamed() throws Exception {
        Path bad = Files.write(dir.resolve("x.jpg"), "not a jpeg at all".getBytes());
        assertThatThrownBy(() -> ImagePreprocessing.DEFAULT.tensor(bad, input("x", DataType.FLOAT_VALUE, 1, 3, 4, 4)))
                .isInstanceOf(InvalidSampleException.class)
                .hasMessageContaining("x.jpg");
    }

    @Test
    void aHugeDeclaredImageIsRefusedFromItsHeaderBeforeDecoding() throws Exception {
        // a valid 2x2 PNG whose IHDR then claims 100000 x 100000 pixels (CRC recomputed): 10^10 pixels
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB), "png", out);
        byte[] png = out.toByteArray();
        ByteBuffer b = ByteBuffer.wrap(png);
        b.putInt(16, 100_000).putInt(20, 100_000);
        CRC32 crc = new CRC32();
        crc.update(png, 12, 17); // "IHDR" + 13 data bytes
        b.putInt(29, (int) crc.getValue());
        Path bomb = Files.write(dir.resolve("bomb.png"), png);
        assertThatThrownBy(() -> ImagePreprocessing.DEFAULT.tensor(bomb, input("x", DataType.FLOAT_VALUE, 1, 3, 4, 4)))
                .isInstanceOf(InvalidSampleException.class)
                .hasMessageContaining("100000x100000 pixels");
    }

    @Test
    void badPreprocessingIsRefusedWhenDeclared() {
        assertThatThrownBy(() -> new ImagePreprocessing(0, 0, null, new float[] {0, 0}, new float[] {1}, 255, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mean takes 1 or 3 values");
        assertThatThrownBy(() -> new ImagePreprocessing(0, 0, null, new float[] {0}, new float[] {0}, 255, false))
                .hasMessageContaining("std values must be positive");
        assertThatThrownBy(() -> new ImagePreprocessing(224, 0, null, new float[] {0}, new float[] {1}, 255, false))
                .hasMessageContaining("HxW");
        assertThatThrownBy(() -> new ImagePreprocessing(0, 0, null, new float[] {0}, new float[] {1}, 0, false))
                .hasMessageContaining("scale must be positive");
    }
}
