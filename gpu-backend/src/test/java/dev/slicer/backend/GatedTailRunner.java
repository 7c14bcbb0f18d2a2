package dev.slicer.backend;

import dev.slicer.backend.tail.OrtTailRunner;
import dev.slicer.backend.tail.TailRunner;
import dev.slicer.backend.tail.TailSpec;
import dev.slicer.model.split.HostTensor;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ClientProxy;
import io.quarkus.test.junit.QuarkusMock;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real ONNX Runtime tail runner behind a gate: a batch that reaches it waits until the test opens the gate
 * (at most 60 s), so the tests can hold the compute thread while they fill, expire or cancel the queue.
 */
final class GatedTailRunner extends OrtTailRunner {
    private final TailRunner real;
    private final CountDownLatch open = new CountDownLatch(1);
    final AtomicInteger waiting = new AtomicInteger();
    final AtomicInteger batches = new AtomicInteger();

    private GatedTailRunner(TailRunner real) {
        super(null, null, null); // a mock of the bean class; it only delegates
        this.real = real;
    }

    /** Installs a closed gate in front of the application's runner for the current test. */
    static GatedTailRunner install() {
        TailRunner real =
                ClientProxy.unwrap(Arc.container().instance(TailRunner.class).get());
        GatedTailRunner gate = new GatedTailRunner(real);
        QuarkusMock.installMockForType(gate, TailRunner.class);
        return gate;
    }

    void open() {
        open.countDown();
    }

    @Override
    public Map<String, HostTensor> run(TailSpec tail, Map<String, HostTensor> inputs) {
        waiting.incrementAndGet();
        try {
            if (!open.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("gate never opened");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            waiting.decrementAndGet();
        }
        batches.incrementAndGet();
        return real.run(tail, inputs);
    }
}
