package dev.slicer.model;

import dev.slicer.model.builder.TinyLlama;
import dev.slicer.model.builder.TinyResNet;
import dev.slicer.model.split.SplittableModel;

/** Analysed builder models shared by tests (analysis runs the model, so it is done once). */
public final class TestModels {
    private static SplittableModel resnet;
    private static SplittableModel llama;

    private TestModels() {}

    public static synchronized SplittableModel resnet() {
        if (resnet == null) {
            resnet = SplittableModel.of(TinyResNet.build(42), "tiny-resnet");
        }
        return resnet;
    }

    public static synchronized SplittableModel llama() {
        if (llama == null) {
            llama = SplittableModel.of(TinyLlama.build(TinyLlama.Config.TINY, 42), "tiny-llama");
        }
        return llama;
    }
}
