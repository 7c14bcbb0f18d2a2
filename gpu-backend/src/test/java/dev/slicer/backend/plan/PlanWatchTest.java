package dev.slicer.backend.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slicer.backend.PlanDirResource;
import dev.slicer.protocol.v1.PlanUpdate;
import io.grpc.stub.ServerCallStreamObserver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** WatchPlan streams are held only while their edge is connected. */
@QuarkusTest
@QuarkusTestResource(PlanDirResource.class)
class PlanWatchTest {
    @Inject
    PlanBroadcaster plans;

    @Test
    void aStreamCancelledBeforeItsCancelHandlerIsSetIsNotHeld() {
        int before = plans.watchers();
        Stream gone = new Stream(true);
        plans.watch(gone, "");
        assertThat(plans.watchers())
                .as("a cancelled stream would fill the watcher bound")
                .isEqualTo(before);
        assertThat(gone.sent).isEmpty();
    }

    @Test
    void aLiveStreamIsHeldUntilItsEdgeCancels() {
        int before = plans.watchers();
        Stream live = new Stream(false);
        plans.watch(live, "");
        assertThat(plans.watchers()).isEqualTo(before + 1);
        assertThat(live.sent).as("the current plan, sent at once").hasSize(1);
        live.onCancel.run();
        assertThat(plans.watchers()).isEqualTo(before);
    }

    /** A server stream whose cancellation the test controls. */
    private static final class Stream extends ServerCallStreamObserver<PlanUpdate> {
        final boolean cancelled;
        final List<PlanUpdate> sent = new ArrayList<>();
        Runnable onCancel = () -> {};

        Stream(boolean cancelled) {
            this.cancelled = cancelled;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public void setOnCancelHandler(Runnable onCancelHandler) {
            onCancel = onCancelHandler;
        }

        @Override
        public void setCompression(String compression) {}

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setOnReadyHandler(Runnable onReadyHandler) {}

        @Override
        public void request(int count) {}

        @Override
        public void setMessageCompression(boolean enable) {}

        @Override
        public void disableAutoInboundFlowControl() {}

        @Override
        public void onNext(PlanUpdate value) {
            sent.add(value);
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {}
    }
}
