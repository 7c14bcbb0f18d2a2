package dev.slicer.bench.ar;

import dev.slicer.edge.ar.ArTokenizers;
import dev.slicer.model.ar.Fidelity;
import dev.slicer.model.ar.KvCache;
import dev.slicer.model.ar.KvDecoder;
import dev.slicer.model.ar.NextToken;
import dev.slicer.model.split.HostTensor;
import dev.slicer.model.split.SplitCandidate;
import dev.slicer.model.split.SplittableModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./slicer bench ar-floor}: how few bits per token any codec could ship at a split and keep the greedy
 * agreement floor. It fits a {@link GaussianStates} model to the split's hidden states over several generations,
 * then, for each rate on a grid (shares of the fp16 state), generates through the optimal test channel at that rate
 * (front, channel, back, in this process) and measures agreement and KL against the unsplit model as {@code bench
 * ar} does. The smallest rate that keeps the floor is the floor of the bits per token for this model and split,
 * within the Gaussian model (near-Gaussian states, as random-weight decoders have, make it close; structured states
 * of trained models need fewer bits than it says).
 */
@Command(
        name = "ar-floor",
        mixinStandardHelpOptions = true,
        description = {
            "The fewest bits per token an ideal codec could ship at a split and keep the agreement floor, from a"
                    + " Gaussian rate-distortion model of the split's hidden states. Last line: ar-floor: floor=F"
                    + " bits_per_token=B share_of_fp16=S agreement=A kl=K met=true|false"
        })
public final class ArFloorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** Varied prompts: the covariance needs states from more than one context. */
    static final List<String> PROMPTS = List.of(
            "The split point of a decoder is chosen per link. ",
            "Edge devices send compressed states to ",
            "Once upon a time, ",
            "kubectl apply -f examples/tiny-llama.yaml",
            "{\"model\": \"tiny\", \"max_tokens\": 3}",
            "Zebra 12345 !!",
            "the the the the ",
            "In 1905 Einstein published");

    @Option(names = "--model", defaultValue = "builtin:small-llama", description = "decoder (default ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--split", description = "split candidate (index or name; default the last decoder block)")
    String split;

    @Option(names = "--tokens", defaultValue = "128", description = "tokens per generation (default 128)")
    int tokens;

    @Option(
            names = "--prompts",
            defaultValue = "8",
            description = "generations per rate, one per built-in prompt (1..8, default 8)")
    int prompts;

    @Option(names = "--floor", defaultValue = "0.95", description = "greedy agreement floor (default 0.95)")
    double floor;

    @Option(
            names = "--shares",
            defaultValue = "0.05,0.075,0.1,0.15,0.2,0.25,0.3,0.4",
            split = ",",
            description = "rates to try, as shares of the fp16 hidden state (default ${DEFAULT-VALUE})")
    double[] shares;

    @Option(names = "--seed", defaultValue = "1", description = "seed of the channel's noise (default 1)")
    long seed;

    @Override
    public Integer call() {
        if (tokens < 2 || prompts < 1 || prompts > PROMPTS.size() || !(floor > 0 && floor <= 1)) {
            throw new ParameterException(
                    spec.commandLine(), "--tokens >= 2, --prompts in 1.." + PROMPTS.size() + ", --floor in (0, 1]");
        }
        for (double s : shares) {
            if (!(s > 0 && s <= 1)) {
                throw new ParameterException(spec.commandLine(), "--shares must lie in (0, 1], got " + s);
            }
        }
        SplittableModel m = SplittableModel.load(model);
        SplitCandidate c = split == null ? ArCommand.lastBlock(m) : m.candidate(split);
        int hidden = ArCommand.hiddenSize(m, c);
        double fp16 = 16.0 * hidden;
        var tokenizer = ArTokenizers.forModel(model, Optional.empty());
        try (KvDecoder whole = KvDecoder.whole(m, o -> {});
                KvDecoder front = KvDecoder.front(m, c, o -> {});
                KvDecoder back = KvDecoder.back(m, c, o -> {})) {
            List<long[]> ids =
                    PROMPTS.subList(0, prompts).stream().map(tokenizer::encode).toList();
            GaussianStates states = fit(whole, front, c, ids, hidden);
            System.err.printf(
                    Locale.ROOT,
                    "bench ar-floor: %s at %s, %d-wide states, Gaussian model from %d generations of %d tokens%n",
                    model,
                    c.name(),
                    hidden,
                    prompts,
                    tokens);
            System.out.printf(
                    Locale.ROOT, "%8s %10s %10s %10s %10s%n", "share", "bits/tok", "rel_rmse", "agreement", "kl");
            double[] sorted = shares.clone();
            Arrays.sort(sorted);
            Row met = null;
            Row last = null;
            for (double share : sorted) {
                double theta = states.thetaFor(share * fp16);
                Fidelity f = throughChannel(whole, front, back, c, ids, states, theta);
                last = new Row(share, states.bitsAt(theta), f);
                System.out.printf(
                        Locale.ROOT,
                        "%8.3f %10.1f %10.4f %10.4f %10.6f%n",
                        share,
                        last.bits,
                        states.relativeError(theta),
                        f.agreement(),
                        f.kl());
                if (met == null && f.agreement() >= floor) {
                    met = last;
                }
            }
            Row r = met != null ? met : last;
            System.out.printf(
                    Locale.ROOT,
                    "ar-floor: floor=%.4f bits_per_token=%.1f share_of_fp16=%.3f agreement=%.4f kl=%.6f met=%s%n",
                    floor,
                    r.bits,
                    r.bits / fp16,
                    r.fidelity.agreement(),
                    r.fidelity.kl(),
                    met != null);
        }
        return 0;
    }

    private record Row(double share, double bits, Fidelity fidelity) {}

    /** The split's states over each prompt and its unsplit greedy continuation. */
    private GaussianStates fit(KvDecoder whole, KvDecoder front, SplitCandidate c, List<long[]> ids, int hidden) {
        float[] all = new float[0];
        int rows = 0;
        for (long[] prompt : ids) {
            long[] seq = Arrays.copyOf(prompt, prompt.length + tokens);
            KvCache cache = new KvCache();
            long[] in = prompt;
            for (int t = 0; t < tokens; t++) {
                int next = NextToken.argmax(NextToken.lastRow(whole.step(List.of(cache), List.of(idsTensor(in)))
                        .get(0)
                        .get("logits")));
                seq[prompt.length + t] = next;
                in = new long[] {next};
            }
            float[] h = front.step(List.of(new KvCache()), List.of(idsTensor(seq)))
                    .get(0)
                    .get(c.bigTensor())
                    .floats();
            all = Arrays.copyOf(all, all.length + h.length);
            System.arraycopy(h, 0, all, all.length - h.length, h.length);
            rows += seq.length;
        }
        return GaussianStates.fit(all, rows, hidden);
    }

    /** Mean agreement and KL of generations whose split states cross the test channel at {@code theta}. */
    private Fidelity throughChannel(
            KvDecoder whole,
            KvDecoder front,
            KvDecoder back,
            SplitCandidate c,
            List<long[]> ids,
            GaussianStates states,
            double theta) {
        double agree = 0;
        double kl = 0;
        for (int p = 0; p < ids.size(); p++) {
            SplittableRandom random = new SplittableRandom(seed * 1_000_003L + p);
            KvCache fc = new KvCache();
            KvCache bc = new KvCache();
            long[] in = ids.get(p);
            long[] generated = new long[tokens];
            List<float[]> logits = new ArrayList<>();
            for (int t = 0; t < tokens; t++) {
                HostTensor h =
                        front.step(List.of(fc), List.of(idsTensor(in))).get(0).get(c.bigTensor());
                float[] sent = new float[h.floats().length];
                states.reconstruct(h.floats(), sent, sent.length / states.dim(), theta, random);
                float[] row = NextToken.lastRow(back.step(List.of(bc), List.of(HostTensor.ofFloats(h.shape(), sent)))
                        .get(0)
                        .get("logits"));
                logits.add(row);
                generated[t] = NextToken.argmax(row);
                in = new long[] {generated[t]};
            }
            Fidelity f = Fidelity.of(Fidelity.reference(whole, ids.get(p), generated), logits);
            agree += f.agreement();
            kl += f.kl();
        }
        return new Fidelity(agree / ids.size(), kl / ids.size());
    }

    private static HostTensor idsTensor(long... v) {
        return HostTensor.ofLongs(new long[] {1, v.length}, v);
    }
}
