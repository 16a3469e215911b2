package io.switchboard.broker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.agent.Mode;
import io.switchboard.core.remote.WorkMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The work message on the wire: a JSON object, UTF-8, read strictly. Version 1:
 *
 * <pre>{@code
 * {"version": 1, "task_id": "T-1", "attempt": 2, "agent": "codex", "mode": "auto",
 *  "prompt": "Fix the login test",            (or "prompt_ref": "task:T-1", exactly one of the two)
 *  "deadline": "2026-03-01T10:15:30.123Z",    (or null)
 *  "priority": 4}
 * }</pre>
 *
 * <p>{@link #decode} never throws: a body that is not exactly a message of a known version (not UTF-8, not JSON,
 * trailing content, a duplicate, missing, unknown or mistyped field, an impossible value, another version) comes
 * back as a {@link Decoded.Rejected} whose reason names what was wrong, so that a consumer can dead-letter it and go
 * on. The version is checked before anything else, so a message of a later version is reported as that, not as
 * its first unknown field.
 *
 * <p>Thread-safe.
 */
public final class WorkMessageCodec {
    /** The largest body read; anything larger is rejected unread. */
    public static final int MAX_BODY_BYTES = 4 * 1024 * 1024;

    /** The body's content type, as the AMQP {@code content_type} property says it. */
    public static final String CONTENT_TYPE = "application/json";

    private static final Set<String> FIELDS = Set.of("version", "task_id", "attempt", "agent", "mode", "prompt",
            "prompt_ref", "deadline", "priority");

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** What a body decodes to: a message, or why it is not one. */
    public sealed interface Decoded permits Decoded.Message, Decoded.Rejected {
        record Message(WorkMessage message) implements Decoded {
            public Message {
                Objects.requireNonNull(message, "message");
            }
        }

        record Rejected(String reason) implements Decoded {
            public Rejected {
                Objects.requireNonNull(reason, "reason");
            }
        }
    }

    public byte[] encode(WorkMessage message) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("version", message.version());
        json.put("task_id", message.taskId());
        json.put("attempt", message.attempt());
        json.put("agent", message.agent());
        json.put("mode", message.mode().configName());
        switch (message.prompt()) {
            case WorkMessage.Inline inline -> json.put("prompt", inline.text());
            case WorkMessage.Reference reference -> json.put("prompt_ref", reference.location());
        }
        if (message.deadline() == null) {
            json.putNull("deadline");
        } else {
            json.put("deadline", message.deadline().toString());
        }
        json.put("priority", message.priority());
        try {
            return MAPPER.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a work message could not be written as JSON: " + e.getMessage(), e);
        }
    }

    public Decoded decode(byte[] body) {
        if (body == null || body.length == 0) {
            return rejected("the body is empty");
        }
        if (body.length > MAX_BODY_BYTES) {
            return rejected("the body is " + body.length + " bytes, more than the " + MAX_BODY_BYTES + " read");
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body));
        } catch (CharacterCodingException e) {
            return rejected("the body is not UTF-8 text");
        }
        JsonNode json;
        try {
            json = MAPPER.readTree(body);
        } catch (IOException e) {
            return rejected("the body is not one JSON value: " + firstLine(e));
        }
        if (json == null || !json.isObject()) {
            return rejected("the body is not a JSON object");
        }
        JsonNode version = json.get("version");
        if (version == null || version.isNull()) {
            return rejected("the message has no version");
        }
        if (!version.isIntegralNumber() || !version.canConvertToInt()) {
            return rejected("the version is not a whole number, was " + version);
        }
        if (version.intValue() != WorkMessage.VERSION) {
            return rejected("unknown message version " + version.intValue() + "; this code reads version "
                    + WorkMessage.VERSION);
        }
        Set<String> unknown = new LinkedHashSet<>();
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            return rejected("unknown field" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                    + "; version " + WorkMessage.VERSION + " has " + String.join(", ", List.of("version", "task_id",
                    "attempt", "agent", "mode", "prompt", "prompt_ref", "deadline", "priority")));
        }
        try {
            String taskId = text(json, "task_id");
            int attempt = integer(json, "attempt");
            String agent = text(json, "agent");
            String modeName = text(json, "mode");
            Mode mode = Mode.fromConfigName(modeName).orElseThrow(() -> new Invalid(
                    "mode: must be plan, auto or full-auto, was '" + modeName + "'"));
            boolean hasPrompt = present(json, "prompt");
            boolean hasReference = present(json, "prompt_ref");
            if (hasPrompt == hasReference) {
                throw new Invalid("exactly one of prompt and prompt_ref is given, " + (hasPrompt ? "both were"
                        : "neither was"));
            }
            WorkMessage.Prompt prompt = hasPrompt ? new WorkMessage.Inline(text(json, "prompt"))
                    : new WorkMessage.Reference(text(json, "prompt_ref"));
            Instant deadline = null;
            if (!json.has("deadline")) {
                throw new Invalid("deadline: missing (null for none)");
            }
            if (present(json, "deadline")) {
                String text = text(json, "deadline");
                try {
                    deadline = Instant.parse(text);
                } catch (DateTimeParseException e) {
                    throw new Invalid("deadline: not an ISO-8601 instant such as 2026-03-01T10:15:30Z, was '"
                            + text + "'");
                }
            }
            int priority = integer(json, "priority");
            return new Decoded.Message(new WorkMessage(version.intValue(), taskId, attempt, agent, mode, prompt,
                    deadline, priority));
        } catch (Invalid e) {
            return rejected(e.getMessage());
        } catch (IllegalArgumentException e) {
            return rejected("impossible value: " + e.getMessage());
        }
    }

    private static boolean present(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value != null && !value.isNull();
    }

    private static String text(JsonNode json, String field) throws Invalid {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            throw new Invalid(field + ": missing");
        }
        if (!value.isTextual()) {
            throw new Invalid(field + ": must be a string, was " + value.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return value.textValue();
    }

    private static int integer(JsonNode json, String field) throws Invalid {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            throw new Invalid(field + ": missing");
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new Invalid(field + ": must be a whole number, was " + value);
        }
        return value.intValue();
    }

    private static Decoded rejected(String reason) {
        return new Decoded.Rejected(reason);
    }

    private static String firstLine(IOException e) {
        String message = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
        if (message == null) {
            return e.getClass().getSimpleName();
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** A field that is missing, mistyped or impossible; caught within {@link #decode}. */
    private static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }
}
