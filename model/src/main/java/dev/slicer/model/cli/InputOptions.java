package dev.slicer.model.cli;

import dev.slicer.model.split.SplittableModel;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Representative inputs for every command that runs a model: {@code --input NAME=DxDx...} shapes instead of invented
 * ones, {@code --samples DIR} tensors (and images, made tensors by the {@code --image-*} preprocessing).
 */
final class InputOptions {
    @Mixin
    ShapeOptions shapes = new ShapeOptions();

    @Mixin
    ImageOptions images = new ImageOptions();

    @Option(
            names = "--samples",
            paramLabel = "DIR",
            description = "Sample inputs: input_N.pb (ONNX test-data TensorProto), NAME.npy or image files (NAME.png,"
                    + " input_N.jpg); used as those inputs' values.")
    Path samples;

    /** The model with the given shapes and samples. */
    SplittableModel load(String uri) {
        return SplittableModel.load(uri, shapes.shapes(), samples, images.images());
    }
}
