package dev.slicer.operator.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * HTTP/1.1 GETs bounded as a whole, name lookup and body included: the JDK client's own timeouts cover neither a slow
 * DNS lookup nor a body that stops arriving, and a reconcile waiting on them stalls the fleet. Answers are read up
 * to {@code maxBytes}; a larger one is refused. Nothing is retried here (the reconciler backs off).
 */
final class BoundedGet {

    /** A status code and a body of at most {@code maxBytes}. */
    record Answer(int status, String body) {}

    /**
     * Runs the lookups and body reads: daemon threads, so one still blocked in a lookup past its deadline never
     * holds the operator up, and a pool of its own, so none of them takes a common-pool thread.
     */
    private final ExecutorService executor;

    private final HttpClient http;
    private final int maxBytes;

    BoundedGet(String threadName, Duration connectTimeout, int maxBytes, Consumer<HttpClient.Builder> customizer) {
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        HttpClient.Builder b = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                // no h2c upgrade attempt on every new cleartext connection: it buys nothing for a small answer
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor);
        customizer.accept(b);
        this.http = b.build();
        this.maxBytes = maxBytes;
    }

    /** Starts {@code request}; {@link Call#await} collects the answer. Several calls may run at once. */
    Call start(HttpRequest request, String who) {
        return new Call(request, who);
    }

    /** One GET in flight. */
    final class Call {
        private final String who;
        private final AtomicReference<InputStream> stream = new AtomicReference<>();
        private final AtomicBoolean abandoned = new AtomicBoolean();
        private final CompletableFuture<HttpResponse<InputStream>> sent;
        private final CompletableFuture<Answer> pending;

        private Call(HttpRequest request, String who) {
            this.who = who;
            this.sent = http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
            this.pending = sent.thenApplyAsync(this::read, executor);
        }

        private Answer read(HttpResponse<InputStream> response) {
            stream.set(response.body());
            if (abandoned.get()) {
                closeQuietly(response.body());
            }
            try (InputStream in = response.body()) {
                byte[] bytes = in.readNBytes(maxBytes + 1);
                if (bytes.length > maxBytes) {
                    throw new CompletionException(
                            new MetricsUnavailableException(who + " answered more than " + maxBytes + " bytes"));
                }
                return new Answer(response.statusCode(), new String(bytes, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new CompletionException(e);
            }
        }

        /**
         * Waits at most {@code timeout} for the status and the whole body. On expiry the exchange is cancelled and
         * the body stream closed (by whichever of the waiter and the reader comes second), so no thread stays
         * blocked on a server that stopped sending.
         */
        Answer await(Duration timeout) throws MetricsUnavailableException {
            try {
                return pending.get(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                abandon();
                throw new MetricsUnavailableException(
                        who + " did not answer within " + timeout + " (name lookup, connect and answer)", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null
                        ? c.getCause()
                        : e.getCause();
                if (cause instanceof MetricsUnavailableException m) {
                    throw m;
                }
                throw new MetricsUnavailableException(who + " unreachable: " + cause, cause);
            } catch (InterruptedException e) {
                abandon();
                Thread.currentThread().interrupt();
                throw new MetricsUnavailableException("interrupted while waiting for " + who, e);
            }
        }

        /** Gives the call up: cancels the exchange (headers not in yet) and closes the body stream (being read). */
        void abandon() {
            abandoned.set(true);
            sent.cancel(true);
            closeQuietly(stream.get());
        }
    }

    private static void closeQuietly(InputStream in) {
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // the call has already failed; closing only frees the connection
            }
        }
    }
}
