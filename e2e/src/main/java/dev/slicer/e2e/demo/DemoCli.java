package dev.slicer.e2e.demo;

import dev.slicer.crds.v1alpha1.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./slicer demo}: the whole fleet on this machine, one scenario, a table, a PNG and an HTML report. */
@Command(
        name = "slicer demo",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Runs the SLICER fleet on loopback: a Kubernetes API, the operator, one back-end and N edges as processes,"
                    + " Prometheus, client traffic; degrades and restores one edge's link, then raises the load.",
            "Ends with: demo: edges=N requests=R failed=F replans=P adaptation_s=T if_compression=X fidelity=F"
                    + " apiserver=real|mock",
            "With --ar, then: demo-ar: edges=N completions=C failed=F offloaded=O tokens=T bits_per_token=B"
                    + " same_text=S prefix_agreement=A replans=P"
        })
public final class DemoCli implements Callable<Integer> {
    @Option(names = "--duration", defaultValue = "60s", description = "traffic time (default ${DEFAULT-VALUE})")
    String duration;

    @Option(names = "--edges", defaultValue = "4", description = "edge processes (default ${DEFAULT-VALUE})")
    int edges;

    @Option(
            names = "--model",
            defaultValue = "builtin:minilm",
            description = "the text encoder in examples/minilm.yaml's place: builtin:minilm, or an ONNX export (path or"
                    + " URL) with its tokenizer.json beside it (default ${DEFAULT-VALUE})")
    String model;

    @Option(
            names = "--ar",
            description = "also run the decoder fleet (examples/tiny-llama.yaml): OpenAI completions through" + " "
                    + AR_EDGES + " more edges, each compared with the unsplit model's greedy text")
    boolean ar;

    /** Edges of the decoder fleet with {@code --ar}: one per device class of the example. */
    static final int AR_EDGES = 2;

    @Option(names = "--no-prometheus", description = "run without Prometheus")
    boolean noPrometheus;

    @Option(
            names = "--apiserver",
            defaultValue = "auto",
            description = "auto (the real control plane when it is built here, else the Fabric8 mock), real (built"
                    + " first if needed: many minutes once) or mock (default ${DEFAULT-VALUE})")
    String apiserver;

    @Option(names = "--out", description = "where the PNG, HTML report and logs go (default target/demo)")
    Path out;

    @Option(names = "--root", hidden = true, defaultValue = ".")
    Path root;

    public static void main(String[] args) {
        System.exit(new CommandLine(new DemoCli()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        String uri = DemoModel.uri(model);
        Optional<String> unusable = DemoModel.problem(uri);
        if (unusable.isPresent()) {
            System.err.println("slicer demo: --model: " + unusable.get());
            return 2;
        }
        if (edges < 1 || edges > 16) {
            System.err.println("slicer demo: --edges must be 1..16");
            return 2;
        }
        if (!java.util.Set.of("auto", "real", "mock").contains(apiserver)) {
            System.err.println("slicer demo: --apiserver must be auto, real or mock");
            return 2;
        }
        Duration d = Durations.parse(duration);
        Path r = root.toAbsolutePath().normalize();
        Path o = (out == null ? r.resolve("target/demo") : out).toAbsolutePath();
        boolean live =
                System.console() != null && System.getenv("TERM") != null && !"dumb".equals(System.getenv("TERM"));
        AtomicReference<Demo> running = new AtomicReference<>();
        Thread hook = new Thread(() -> {
            Demo demo = running.getAndSet(null);
            if (demo != null) {
                System.out.println("\nslicer demo: interrupted; stopping every process it started ...");
                try {
                    demo.close();
                } catch (Exception e) {
                    System.err.println("slicer demo: cleanup: " + e);
                }
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        Demo demo = Demo.create(
                new Demo.Options(r, o, edges, uri, !noPrometheus, live, System.out, apiserver, ar ? AR_EDGES : 0));
        running.set(demo);
        Demo.Result result;
        try {
            demo.bringUp();
            result = Scenario.run(demo, d, demo.table());
        } finally {
            if (running.getAndSet(null) != null) {
                demo.close();
            }
        }
        result.summaries().forEach(System.out::println);
        return 0;
    }
}
