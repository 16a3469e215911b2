package io.switchboard.process.adapter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading the agents' JSON: whole lines and documents, and single fields out of a line the runner cut short. */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** The text as a JSON object, or {@code null} when it is not one. */
    static JsonNode object(String text) {
        String trimmed = text.strip();
        if (!trimmed.startsWith("{")) {
            return null;
        }
        try {
            JsonNode node = MAPPER.readTree(trimmed);
            return node != null && node.isObject() ? node : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** A field's text, or {@code null} when it is missing or not a string. */
    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? value.asText() : null;
    }

    /** A field's whole number, or 0 when it is missing or not a number. */
    static long count(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNumber() ? Math.max(0, value.asLong()) : 0;
    }

    /** A field's number, or {@code null} when it is missing or not a number. */
    static Double number(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNumber() ? value.asDouble() : null;
    }

    /**
     * A string field read straight from the characters of a line that was cut short (and so does not parse), or
     * {@code null} when the field is not there whole.
     */
    static String textIn(String raw, String field) {
        Matcher match = Pattern.compile("\"" + Pattern.quote(field) + "\"\\s*:\\s*(\"(?:[^\"\\\\]|\\\\.)*\")")
                .matcher(raw);
        if (!match.find()) {
            return null;
        }
        try {
            return MAPPER.readValue(match.group(1), String.class);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** A number or boolean field read from a line that was cut short, as text, or {@code null}. */
    static String literalIn(String raw, String field) {
        Matcher match = Pattern.compile("\"" + Pattern.quote(field) + "\"\\s*:\\s*(-?[0-9][0-9.eE+-]*|true|false)[,}]")
                .matcher(raw);
        return match.find() ? match.group(1) : null;
    }
}
