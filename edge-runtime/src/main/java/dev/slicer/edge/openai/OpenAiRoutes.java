package dev.slicer.edge.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slicer.edge.EdgeRuntime;
import dev.slicer.edge.ar.ArGenerator;
import dev.slicer.edge.ar.ArTokenizer;
import dev.slicer.edge.ar.ArTokenizers;
import dev.slicer.edge.ar.Generation;
import dev.slicer.edge.ar.Sampler;
import dev.slicer.edge.config.EdgeConfig;
import dev.slicer.edge.infer.EdgeFailure;
import dev.slicer.edge.plan.ActivePlan;
import dev.slicer.edge.plan.RowSelector;
import dev.slicer.model.split.SampleInputs;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The OpenAI-compatible API of a decoder edge: {@code POST /v1/completions}, {@code POST /v1/chat/completions}
 * (JSON or server-sent events with {@code stream: true}) and {@code GET /v1/models}. Routes on the Vert.x router, so
 * a streamed reply is written chunk by chunk and a client that disconnects is noticed between tokens: the
 * generation stops and its back-end session is closed, which frees the back-end's KV cache.
 */
@ApplicationScoped
public class OpenAiRoutes {
    private static final Logger LOG = Logger.getLogger(OpenAiRoutes.class);
    static final int MAX_BODY_BYTES = 1 << 20;

    private final EdgeRuntime runtime;
    private final EdgeConfig config;
    private final ObjectMapper json;
    private volatile ArTokenizer tokenizer;

    public OpenAiRoutes(EdgeRuntime runtime, EdgeConfig config, ObjectMapper json) {
        this.runtime = runtime;
        this.config = config;
        this.json = json;
    }

    void routes(@Observes Router router) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES);
        router.post("/v1/completions").handler(body).blockingHandler(ctx -> complete(ctx, false), false);
        router.post("/v1/chat/completions").handler(body).blockingHandler(ctx -> complete(ctx, true), false);
        router.get("/v1/models").handler(this::models);
    }

    private void models(RoutingContext ctx) {
        ObjectNode out = json.createObjectNode().put("object", "list");
        if (runtime.ready() && decoder()) {
            out.putArray("data")
                    .addObject()
                    .put("id", runtime.pipeline().model().name())
                    .put("object", "model")
                    .put("created", 0)
                    .put("owned_by", "slicer");
        } else {
            out.putArray("data");
        }
        ctx.response().putHeader("Content-Type", "application/json").end(out.toString());
    }

    private boolean decoder() {
        return SampleInputs.hasKvCache(runtime.generator().model().model());
    }

    private void complete(RoutingContext ctx, boolean chat) {
        HttpServerResponse resp = ctx.response();
        AtomicBoolean gone = new AtomicBoolean();
        resp.closeHandler(v -> gone.set(true));
        boolean[] streaming = {false};
        try {
            if (!runtime.ready()) {
                throw new OpenAiError(503, "server_error", "the edge is loading its model");
            }
            if (!decoder()) {
                throw new OpenAiError(
                        404,
                        "invalid_request_error",
                        "model '" + runtime.pipeline().model().name()
                                + "' is not a decoder; use the Open Inference Protocol API under /v2");
            }
            JsonNode body;
            try {
                body = json.readTree(
                        ctx.body().buffer() == null ? "" : ctx.body().asString());
            } catch (IOException e) {
                throw OpenAiError.invalid("the body is not JSON: " + e.getMessage());
            }
            CompletionRequest req = CompletionRequest.parse(
                    body, chat, config.ar().defaultMaxTokens(), config.ar().maxNewTokens());
            String name = runtime.pipeline().model().name();
            if (!req.model().equals(name)) {
                throw new OpenAiError(
                        404,
                        "invalid_request_error",
                        "unknown model '" + req.model() + "'; this edge serves '" + name + "'");
            }
            ArTokenizer tok = tokenizer();
            long[] prompt = req.promptIds() != null ? req.promptIds() : tok.encode(req.prompt());
            if (prompt.length == 0 || prompt.length > config.maxTokens()) {
                throw OpenAiError.invalid("the prompt has " + prompt.length + " tokens; 1 to " + config.maxTokens()
                        + " are accepted (slicer.edge.max-tokens)");
            }
            Reply reply = new Reply(json, chat, "cmpl-" + UUID.randomUUID(), name, System.currentTimeMillis() / 1000);
            TextStream text = new TextStream(tok, req.stop());
            ActivePlan plan = runtime.plans().current();
            RowSelector.Decision row = RowSelector.decide(
                    plan,
                    config.deviceClass(),
                    runtime.goodput().bytesPerSecond(),
                    runtime.generator().localFallback());
            ArGenerator.Request gen = new ArGenerator.Request(
                    prompt, req.maxTokens(), new Sampler(req.temperature(), req.topP(), req.seed()), false);
            if (req.stream()) {
                streaming[0] = true;
                resp.setChunked(true)
                        .putHeader("Content-Type", "text/event-stream")
                        .putHeader("Cache-Control", "no-cache");
                if (chat) {
                    send(resp, reply.chunk("", null, true));
                }
            }
            Generation g = runtime.generator()
                    .generate(
                            gen,
                            row,
                            plan.hash(),
                            token -> {
                                boolean go = text.add(token);
                                if (req.stream()) {
                                    String d = text.delta(false);
                                    if (!d.isEmpty() && !gone.get()) {
                                        send(resp, reply.chunk(d, null, false));
                                    }
                                }
                                return go;
                            },
                            gone::get);
            if (g.finish().equals("cancelled")) {
                LOG.debugf("client went away after %d tokens; session closed", g.tokens().length);
                return;
            }
            String finish = g.finish();
            ObjectNode usage = reply.usage(prompt.length, g.tokens().length);
            if (req.stream()) {
                send(resp, reply.chunk(text.delta(true), finish, false));
                if (req.includeUsage()) {
                    send(resp, reply.usageChunk(usage));
                }
                resp.end("data: [DONE]\n\n");
            } else {
                ObjectNode out = reply.complete(text.text(), finish, usage);
                out.putObject("slicer")
                        .put("plan", plan.hash())
                        .put("mode", g.mode())
                        .put("split", g.split())
                        .put("w", g.w())
                        .put("if_bytes", g.ifBytes())
                        .put("recoveries", g.recoveries())
                        .put("fallback", g.fallback());
                resp.putHeader("Content-Type", "application/json").end(out.toString());
            }
        } catch (OpenAiError e) {
            error(resp, streaming[0], e.status, e.type, e.getMessage());
        } catch (EdgeFailure e) {
            error(
                    resp,
                    streaming[0],
                    e.status(),
                    e.status() == 400 ? "invalid_request_error" : "server_error",
                    e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("completion failed", e);
            error(resp, streaming[0], 500, "server_error", String.valueOf(e.getMessage()));
        }
    }

    private synchronized ArTokenizer tokenizer() {
        if (tokenizer == null) {
            tokenizer = ArTokenizers.forModel(config.modelUri(), config.tokenizer());
        }
        return tokenizer;
    }

    private static void send(HttpServerResponse resp, ObjectNode chunk) {
        try {
            resp.write("data: " + chunk + "\n\n");
        } catch (IllegalStateException e) {
            // the client is gone; the generation notices it before the next token
        }
    }

    private void error(HttpServerResponse resp, boolean streaming, int status, String type, String message) {
        if (resp.ended() || resp.closed()) {
            return;
        }
        ObjectNode err = json.createObjectNode();
        err.putObject("error")
                .put("message", message)
                .put("type", type)
                .putNull("param")
                .putNull("code");
        if (streaming) {
            resp.end("data: " + err + "\n\n");
        } else {
            resp.setStatusCode(status)
                    .putHeader("Content-Type", "application/json")
                    .end(err.toString());
        }
    }
}
