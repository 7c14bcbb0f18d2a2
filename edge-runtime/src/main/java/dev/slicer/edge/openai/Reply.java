package dev.slicer.edge.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The OpenAI response objects: text_completion / chat.completion, their stream chunks, and usage. */
record Reply(ObjectMapper json, boolean chat, String id, String model, long created) {
    private ObjectNode base(String object) {
        return json.createObjectNode()
                .put("id", id)
                .put("object", object)
                .put("created", created)
                .put("model", model)
                .put("system_fingerprint", "slicer");
    }

    ObjectNode complete(String text, String finish, ObjectNode usage) {
        ObjectNode out = base(chat ? "chat.completion" : "text_completion");
        ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
        if (chat) {
            choice.putObject("message")
                    .put("role", "assistant")
                    .put("content", text)
                    .putNull("refusal");
        } else {
            choice.put("text", text);
        }
        choice.putNull("logprobs").put("finish_reason", finish);
        out.set("usage", usage);
        return out;
    }

    /** One stream chunk; {@code first} (chat) carries the assistant role. */
    ObjectNode chunk(String delta, String finish, boolean first) {
        ObjectNode out = base(chat ? "chat.completion.chunk" : "text_completion");
        ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
        if (chat) {
            ObjectNode d = choice.putObject("delta");
            if (first) {
                d.put("role", "assistant");
            }
            if (finish == null) {
                d.put("content", delta);
            } else if (!delta.isEmpty()) {
                d.put("content", delta);
            }
        } else {
            choice.put("text", delta);
        }
        choice.putNull("logprobs");
        if (finish == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finish);
        }
        return out;
    }

    /** The last chunk with {@code stream_options.include_usage}: no choices, the usage. */
    ObjectNode usageChunk(ObjectNode usage) {
        ObjectNode out = base(chat ? "chat.completion.chunk" : "text_completion");
        out.putArray("choices");
        out.set("usage", usage);
        return out;
    }

    ObjectNode usage(int prompt, int completion) {
        return json.createObjectNode()
                .put("prompt_tokens", prompt)
                .put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
    }
}
