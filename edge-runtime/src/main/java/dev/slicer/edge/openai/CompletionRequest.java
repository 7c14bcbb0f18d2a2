package dev.slicer.edge.openai;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The parameters of a {@code /v1/completions} or {@code /v1/chat/completions} request that the edge honours:
 * the prompt (chat messages rendered as {@code role: content} lines ending in {@code assistant:}, since the tiny
 * decoder and raw exports carry no chat template), max_tokens, temperature, top_p, seed, stop, stream and
 * stream_options.include_usage. n must be 1.
 */
record CompletionRequest(
        String model,
        String prompt,
        long[] promptIds,
        int maxTokens,
        double temperature,
        double topP,
        Long seed,
        List<String> stop,
        boolean stream,
        boolean includeUsage) {

    static final int MAX_STOPS = 4;

    static CompletionRequest parse(JsonNode body, boolean chat, int defaultMaxTokens, int maxNewTokens) {
        if (body == null || !body.isObject()) {
            throw OpenAiError.invalid("the body must be a JSON object");
        }
        String model = text(body, "model");
        String prompt = null;
        long[] ids = null;
        if (chat) {
            JsonNode messages = body.path("messages");
            if (!messages.isArray() || messages.isEmpty()) {
                throw OpenAiError.invalid("'messages' must be a non-empty array");
            }
            StringBuilder sb = new StringBuilder();
            for (JsonNode m : messages) {
                sb.append(m.path("role").asText("user"))
                        .append(": ")
                        .append(content(m.path("content")))
                        .append('\n');
            }
            prompt = sb.append("assistant:").toString();
        } else {
            JsonNode p = body.path("prompt");
            if (p.isTextual()) {
                prompt = p.asText();
            } else if (p.isArray() && p.size() == 1 && p.get(0).isTextual()) {
                prompt = p.get(0).asText();
            } else if (p.isArray() && !p.isEmpty() && p.get(0).isIntegralNumber()) {
                ids = new long[p.size()];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = p.get(i).asLong();
                }
            } else {
                throw OpenAiError.invalid("'prompt' must be a string, one string in an array, or token ids");
            }
        }
        int n = body.path("n").asInt(1);
        if (n != 1) {
            throw OpenAiError.invalid("only n = 1 is supported");
        }
        JsonNode mt =
                body.hasNonNull("max_completion_tokens") ? body.get("max_completion_tokens") : body.get("max_tokens");
        int maxTokens = mt == null || mt.isNull() ? defaultMaxTokens : mt.asInt(-1);
        if (maxTokens < 1 || maxTokens > maxNewTokens) {
            throw OpenAiError.invalid("max_tokens must be in [1, " + maxNewTokens + "], got " + mt);
        }
        double temperature = number(body, "temperature", 1.0);
        double topP = number(body, "top_p", 1.0);
        if (!(temperature >= 0 && temperature <= 2)) {
            throw OpenAiError.invalid("temperature must be in [0, 2]");
        }
        if (!(topP > 0 && topP <= 1)) {
            throw OpenAiError.invalid("top_p must be in (0, 1]");
        }
        Long seed = body.hasNonNull("seed") ? body.get("seed").asLong() : null;
        List<String> stop = new ArrayList<>();
        JsonNode s = body.path("stop");
        if (s.isTextual()) {
            stop.add(s.asText());
        } else if (s.isArray()) {
            s.forEach(x -> stop.add(x.asText()));
        } else if (!s.isMissingNode() && !s.isNull()) {
            throw OpenAiError.invalid("'stop' must be a string or an array of strings");
        }
        if (stop.size() > MAX_STOPS || stop.stream().anyMatch(String::isEmpty)) {
            throw OpenAiError.invalid("'stop' takes at most " + MAX_STOPS + " non-empty strings");
        }
        boolean stream = body.path("stream").asBoolean(false);
        boolean usage = body.path("stream_options").path("include_usage").asBoolean(false);
        return new CompletionRequest(model, prompt, ids, maxTokens, temperature, topP, seed, stop, stream, usage);
    }

    private static String content(JsonNode c) {
        if (c.isTextual()) {
            return c.asText();
        }
        StringBuilder sb = new StringBuilder();
        if (c.isArray()) {
            for (JsonNode part : c) {
                if (part.path("type").asText().equals("text")) {
                    sb.append(part.path("text").asText());
                }
            }
        }
        return sb.toString();
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || !v.isTextual()) {
            throw OpenAiError.invalid("'" + field + "' is required");
        }
        return v.asText();
    }

    private static double number(JsonNode body, String field, double dflt) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isNumber()) {
            throw OpenAiError.invalid("'" + field + "' must be a number");
        }
        return v.asDouble();
    }
}
