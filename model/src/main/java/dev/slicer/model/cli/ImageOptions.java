package dev.slicer.model.cli;

import dev.slicer.model.split.ImagePreprocessing;
import picocli.CommandLine.Option;

/** {@code --image-*}: how image samples become tensors (a mixin of every command that takes sample inputs). */
public final class ImageOptions {
    @Option(
            names = "--image-size",
            paramLabel = "HxW",
            description = "Resize image samples to HxW (default: the input's fixed size, else the image's).")
    String imageSize;

    @Option(
            names = "--image-layout",
            paramLabel = "NCHW|NHWC",
            description = "Layout of image inputs (default: from the input's shape, else NCHW).")
    ImagePreprocessing.Layout imageLayout;

    @Option(
            names = "--image-mean",
            split = ",",
            paramLabel = "M",
            description = "Per-channel mean subtracted after scaling, 1 or 3 values (default 0), e.g."
                    + " 0.485,0.456,0.406.")
    float[] imageMean = {0f};

    @Option(
            names = "--image-std",
            split = ",",
            paramLabel = "S",
            description = "Per-channel std divided by after the mean, 1 or 3 values (default 1), e.g."
                    + " 0.229,0.224,0.225.")
    float[] imageStd = {1f};

    @Option(
            names = "--image-scale",
            paramLabel = "D",
            defaultValue = "255",
            description = "Pixel values are divided by D first (default ${DEFAULT-VALUE}: 0..1; 1 keeps 0..255).")
    float imageScale;

    @Option(names = "--image-bgr", description = "Channel order BGR instead of RGB (OpenCV-trained models).")
    boolean imageBgr;

    /** How image samples become tensors. */
    public ImagePreprocessing images() {
        int h = 0;
        int w = 0;
        if (imageSize != null) {
            String[] hw = imageSize.split("x");
            try {
                if (hw.length != 2) {
                    throw new NumberFormatException();
                }
                h = Integer.parseInt(hw[0]);
                w = Integer.parseInt(hw[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--image-size wants HxW, got '" + imageSize + "'");
            }
            if (h < 1 || w < 1) {
                throw new IllegalArgumentException("--image-size wants positive HxW, got '" + imageSize + "'");
            }
        }
        return new ImagePreprocessing(h, w, imageLayout, imageMean, imageStd, imageScale, imageBgr);
    }
}
