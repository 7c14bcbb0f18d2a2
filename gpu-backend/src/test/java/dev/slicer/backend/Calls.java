package dev.slicer.backend;

import dev.slicer.protocol.v1.BackendGrpc;
import dev.slicer.protocol.v1.InferReply;
import dev.slicer.protocol.v1.InferRequest;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;

/** Async unary calls as futures. */
final class Calls {
    private Calls() {}

    static CompletableFuture<InferReply> infer(BackendGrpc.BackendStub stub, InferRequest request) {
        CompletableFuture<InferReply> f = new CompletableFuture<>();
        stub.infer(request, new StreamObserver<>() {
            @Override
            public void onNext(InferReply value) {
                f.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                f.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                f.completeExceptionally(new IllegalStateException("completed without a reply"));
            }
        });
        return f;
    }
}
