package dev.slicer.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The client of an edge's emulated link endpoint ({@code PUT /slicer/link}), shared by the demo and the benchmarks. */
public final class EdgeLink {
    private EdgeLink() {}

    /** Sets the emulated link of the edge on {@code port} to {@code bytesPerSecond} (0 = unlimited). */
    public static void set(HttpClient http, int port, long bytesPerSecond) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slicer/link"))
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"bytesPerSecond\":" + bytesPerSecond + "}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(
                    "PUT /slicer/link on port " + port + ": " + r.statusCode() + " " + r.body());
        }
    }
}
