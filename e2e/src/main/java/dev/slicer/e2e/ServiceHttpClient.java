package dev.slicer.e2e;

import java.net.http.HttpClient;
import java.time.Duration;

/**
 * The JDK HTTP client the harness talks to the services' plain-HTTP endpoints with (inference APIs, health,
 * metrics). HTTP/1.1 only: by default the JDK client asks a cleartext server to upgrade to HTTP/2 (h2c) on every new
 * connection, and against the services' Vert.x server about 1 upgrade in 300 never completes its answer, past the
 * request timeout (measured: 11 of 3,000 fresh connections to /q/metrics hung, none of 3,000 with HTTP/1.1). A probe
 * that hangs stalls a test or the demo's live table for minutes.
 */
public final class ServiceHttpClient {

    private ServiceHttpClient() {}

    /** A client that speaks HTTP/1.1 and gives up connecting after {@code connectTimeout}. */
    public static HttpClient create(Duration connectTimeout) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .build();
    }
}
