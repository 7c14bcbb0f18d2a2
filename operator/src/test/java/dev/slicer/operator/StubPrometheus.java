package dev.slicer.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Prometheus HTTP API stand-in on loopback: answers instant queries with recorded vector responses, per fleet
 * (the {@code slicer_dev_fleet} label in the query), and can play "down" (HTTP 503) per fleet.
 */
final class StubPrometheus implements AutoCloseable {

    private static final Pattern FLEET = Pattern.compile("slicer_dev_fleet=\"([^\"]+)\"");

    private final HttpServer server;
    private final Map<String, Double> queueDelay = new ConcurrentHashMap<>();
    private final Map<String, Boolean> down = new ConcurrentHashMap<>();
    private final List<String> queries = new java.util.concurrent.CopyOnWriteArrayList<>();

    StubPrometheus() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/query", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void queueDelay(String fleet, double seconds) {
        queueDelay.put(fleet, seconds);
    }

    /** Every query received, in order. */
    List<String> queries() {
        return List.copyOf(queries);
    }

    void down(String fleet, boolean isDown) {
        down.put(fleet, isDown);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String raw = exchange.getRequestURI().getRawQuery();
        String query = URLDecoder.decode(raw.substring(raw.indexOf('=') + 1), StandardCharsets.UTF_8);
        queries.add(query);
        Matcher m = FLEET.matcher(query);
        String fleet = m.find() ? m.group(1) : "";
        if (down.getOrDefault(fleet, false)) {
            respond(exchange, 503, "{\"status\":\"error\",\"error\":\"unavailable\"}");
            return;
        }
        String result;
        if (query.contains("slicer_backend_queue_delay_seconds")) {
            result = "[{\"metric\":{},\"value\":[1700000000,\"" + queueDelay.getOrDefault(fleet, 0.01) + "\"]}]";
        } else if (query.contains("slicer_edge_link_goodput_bytes_per_second")) {
            result = "[{\"metric\":{\"device_class\":\"phone\"},\"value\":[1700000000,\"1000000\"]}]";
        } else {
            result = "[]";
        }
        respond(
                exchange,
                200,
                "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":" + result + "}}");
    }

    private static void respond(HttpExchange exchange, int code, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
