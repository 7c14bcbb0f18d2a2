package dev.slicer.model.split;

import dev.slicer.model.InvalidSampleException;
import dev.slicer.model.onnx.DataTypes;
import dev.slicer.model.onnx.proto.Onnx.TensorProto.DataType;
import dev.slicer.model.onnx.proto.Onnx.TensorShapeProto;
import dev.slicer.model.onnx.proto.Onnx.ValueInfoProto;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * How an image file becomes an image model's input tensor: resize (bilinear) to {@code height x width}, pixel values
 * divided by {@code scale}, then {@code (v - mean[c]) / std[c]} per channel, in RGB or BGR order, laid out NCHW or
 * NHWC with batch 1. Unset size and layout come from the graph input (its fixed spatial dimensions; channels 3 at
 * index 1 is NCHW, at index 3 NHWC), else the image's own size and NCHW. A channel dimension of 1 takes the
 * luminance.
 *
 * @param height target height, or 0 for the input's (else the image's)
 * @param width target width, or 0 for the input's (else the image's)
 * @param layout NCHW, NHWC, or null to infer it from the input
 * @param mean per-channel mean subtracted after scaling (1 or 3 values)
 * @param std per-channel divisor after the mean (1 or 3 values)
 * @param scale pixel divisor (255 maps 0..255 to 0..1; 1 keeps raw values)
 * @param bgr channel order BGR instead of RGB (OpenCV-trained models)
 */
public record ImagePreprocessing(
        int height, int width, Layout layout, float[] mean, float[] std, float scale, boolean bgr) {

    /** Tensor layouts of an image input. */
    public enum Layout {
        NCHW,
        NHWC
    }

    /** File extensions read as images (the formats the JDK decodes). */
    public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

    /** Largest image decoded (pixels), checked from the header before decoding: a small file can declare a huge one. */
    public static final long MAX_PIXELS = 64L << 20;

    /** Largest side of a resized image. */
    public static final int MAX_SIDE = 8192;

    /** Pixels divided by 255, no normalisation, size and layout from the graph input. */
    public static final ImagePreprocessing DEFAULT =
            new ImagePreprocessing(0, 0, null, new float[] {0f}, new float[] {1f}, 255f, false);

    public ImagePreprocessing {
        if (height < 0 || width < 0 || height > MAX_SIDE || width > MAX_SIDE || (height == 0) != (width == 0)) {
            throw new IllegalArgumentException(
                    "image size must be HxW with both sides in 1.." + MAX_SIDE + ", got " + height + "x" + width);
        }
        mean = channelValues(mean, "mean");
        std = channelValues(std, "std");
        for (float s : std) {
            if (!(s > 0) || !Float.isFinite(s)) {
                throw new IllegalArgumentException("image std values must be positive, got " + Arrays.toString(std));
            }
        }
        if (!(scale > 0) || !Float.isFinite(scale)) {
            throw new IllegalArgumentException("image scale must be positive, got " + scale);
        }
    }

    private static float[] channelValues(float[] v, String what) {
        if (v == null || (v.length != 1 && v.length != 3)) {
            throw new IllegalArgumentException("image " + what + " takes 1 or 3 values");
        }
        for (float x : v) {
            if (!Float.isFinite(x)) {
                throw new IllegalArgumentException("image " + what + " values must be finite");
            }
        }
        return v.clone();
    }

    /** Whether {@code file} is read as an image. */
    public static boolean isImage(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** The tensor {@code file} gives the graph input {@code in}. */
    public HostTensor tensor(Path file, ValueInfoProto in) {
        if (in.getType().getTensorType().getElemType() != DataType.FLOAT_VALUE) {
            throw new InvalidSampleException(file + ": an image feeds a float input; " + in.getName() + " is "
                    + DataTypes.name(in.getType().getTensorType().getElemType()));
        }
        TensorShapeProto shape = in.getType().getTensorType().getShape();
        if (in.getType().getTensorType().hasShape() && shape.getDimCount() != 4) {
            throw new InvalidSampleException(file + ": an image feeds a rank-4 input (NCHW or NHWC); " + in.getName()
                    + " has rank " + shape.getDimCount());
        }
        Layout l = layout != null ? layout : inferLayout(shape);
        int cIndex = l == Layout.NCHW ? 1 : 3;
        int hIndex = l == Layout.NCHW ? 2 : 1;
        long channels = fixed(shape, cIndex);
        if (channels != 0 && channels != 1 && channels != 3) {
            throw new InvalidSampleException(file + ": input " + in.getName() + " has " + channels + " channels (" + l
                    + "); an image gives 1 or 3");
        }
        int c = channels == 1 ? 1 : 3;
        BufferedImage image = decode(file);
        int h = height > 0 ? height : (int) orElse(fixed(shape, hIndex), image.getHeight());
        int w = width > 0 ? width : (int) orElse(fixed(shape, hIndex + 1), image.getWidth());
        if (h > MAX_SIDE || w > MAX_SIDE) {
            throw new InvalidSampleException(file + ": target size " + h + "x" + w + " exceeds " + MAX_SIDE);
        }
        BufferedImage sized = resize(image, h, w);
        float[] out = new float[c * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = sized.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                if (c == 1) {
                    put(out, l, c, h, w, 0, y, x, normalise(0.299f * r + 0.587f * g + 0.114f * b, 0));
                } else {
                    put(out, l, c, h, w, 0, y, x, normalise(bgr ? b : r, 0));
                    put(out, l, c, h, w, 1, y, x, normalise(g, 1));
                    put(out, l, c, h, w, 2, y, x, normalise(bgr ? r : b, 2));
                }
            }
        }
        long[] dims = l == Layout.NCHW ? new long[] {1, c, h, w} : new long[] {1, h, w, c};
        return HostTensor.ofFloats(dims, out);
    }

    private float normalise(float pixel, int channel) {
        float m = mean[mean.length == 1 ? 0 : channel];
        float s = std[std.length == 1 ? 0 : channel];
        return (pixel / scale - m) / s;
    }

    private static void put(float[] out, Layout l, int c, int h, int w, int ch, int y, int x, float v) {
        out[l == Layout.NCHW ? (ch * h + y) * w + x : (y * w + x) * c + ch] = v;
    }

    private static Layout inferLayout(TensorShapeProto shape) {
        if (fixed(shape, 3) == 3 || fixed(shape, 3) == 1 && fixed(shape, 1) != 3 && fixed(shape, 1) != 1) {
            return Layout.NHWC;
        }
        return Layout.NCHW;
    }

    /** The fixed size of dimension {@code i}, or 0 when it is symbolic or absent. */
    private static long fixed(TensorShapeProto shape, int i) {
        if (i >= shape.getDimCount()) {
            return 0;
        }
        TensorShapeProto.Dimension d = shape.getDim(i);
        return d.hasDimValue() && d.getDimValue() > 0 ? d.getDimValue() : 0;
    }

    private static long orElse(long v, long otherwise) {
        return v > 0 ? v : otherwise;
    }

    /** Decodes {@code file}, refusing from its header an image larger than {@link #MAX_PIXELS}. */
    static BufferedImage decode(Path file) {
        try (InputStream raw = Files.newInputStream(file);
                ImageInputStream in = ImageIO.createImageInputStream(raw)) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new InvalidSampleException(file + ": not an image the JDK can decode (PNG, JPEG, BMP, GIF)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_PIXELS || pixels <= 0) {
                    throw new InvalidSampleException(file + ": " + reader.getWidth(0) + "x" + reader.getHeight(0)
                            + " pixels; at most " + MAX_PIXELS + " are decoded");
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidSampleException ise) {
                throw ise;
            }
            throw new InvalidSampleException(file + ": cannot decode the image (" + e.getMessage() + ")", e);
        }
    }

    private static BufferedImage resize(BufferedImage image, int h, int w) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** How the preprocessing reads, for the notes of the inputs a run used. */
    public String describe() {
        return (height > 0 ? height + "x" + width : "input size") + ", "
                + (layout == null ? "layout of the input" : layout)
                + ", /" + scale + ", mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std)
                + (bgr ? ", BGR" : ", RGB");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImagePreprocessing p
                && height == p.height
                && width == p.width
                && layout == p.layout
                && Arrays.equals(mean, p.mean)
                && Arrays.equals(std, p.std)
                && scale == p.scale
                && bgr == p.bgr;
    }

    @Override
    public int hashCode() {
        return Objects.hash(height, width, layout, Arrays.hashCode(mean), Arrays.hashCode(std), scale, bgr);
    }

    @Override
    public String toString() {
        return "ImagePreprocessing[" + describe() + "]";
    }
}
