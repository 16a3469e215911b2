package io.switchboard.core.workflow;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A step's prompt, with placeholders for the workflow's inputs and for earlier steps' outputs.
 *
 * <p>The syntax, all of it:
 * <ul>
 *   <li>{@code {{inputs.NAME}}} is the value of the workflow's input {@code NAME};</li>
 *   <li>{@code {{steps.ID.output}}} is the output of step {@code ID};</li>
 *   <li>spaces or tabs may surround the reference inside the braces: {@code {{ inputs.task }}};</li>
 *   <li><code>{{{{</code> is a literal <code>{{</code>. It is read before anything else, so
 *       <code>{{{{inputs.task}}</code> is the text {@code {{inputs.task}}};</li>
 *   <li><code>}}</code> outside a placeholder is text like any other.</li>
 * </ul>
 * Every other <code>{{</code> is an error, so that a misspelt placeholder ({@code {{input.task}}}) is refused when the
 * workflow is read rather than sent to an agent as it stands. A placeholder ends on the line it starts.
 * Names ({@code NAME}, {@code ID}) are those {@link Workflow#NAME} allows.
 *
 * <p>Rendering inserts each value as it is: a value is never scanned for placeholders itself, so an agent's
 * output that happens to hold <code>{{</code> reaches the next step unchanged.
 */
public final class Template {
    private static final String OPEN = "{{";
    private static final String ESCAPED_OPEN = "{{{{";
    private static final String CLOSE = "}}";
    private static final String FORMS = "write {{inputs.NAME}} or {{steps.ID.output}}, or {{{{ for a literal {{";

    private final String text;
    /** Literal text ({@link String}) and {@link Placeholder}s, in order. */
    private final List<Object> parts;
    private final List<Placeholder> placeholders;

    private Template(String text, List<Object> parts) {
        this.text = text;
        this.parts = List.copyOf(parts);
        List<Placeholder> found = new ArrayList<>();
        for (Object part : parts) {
            if (part instanceof Placeholder placeholder) {
                found.add(placeholder);
            }
        }
        this.placeholders = List.copyOf(found);
    }

    /**
     * Parses a template.
     *
     * @throws TemplateSyntaxException for a <code>{{</code> that opens no valid placeholder, with its offset
     */
    public static Template parse(String text) {
        Objects.requireNonNull(text, "text");
        List<Object> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith(ESCAPED_OPEN, i)) {
                literal.append(OPEN);
                i += ESCAPED_OPEN.length();
            } else if (text.startsWith(OPEN, i)) {
                int lineEnd = text.indexOf('\n', i);
                lineEnd = lineEnd < 0 ? text.length() : lineEnd;
                int close = text.indexOf(CLOSE, i + OPEN.length());
                if (close < 0 || close > lineEnd) {
                    throw new TemplateSyntaxException(i, "'" + text.substring(i, lineEnd).strip()
                            + "' opens a placeholder that is not closed with }} on its line; " + FORMS);
                }
                if (!literal.isEmpty()) {
                    parts.add(literal.toString());
                    literal.setLength(0);
                }
                parts.add(placeholder(text.substring(i, close + CLOSE.length()), i));
                i = close + CLOSE.length();
            } else {
                literal.append(text.charAt(i));
                i++;
            }
        }
        if (!literal.isEmpty()) {
            parts.add(literal.toString());
        }
        return new Template(text, parts);
    }

    private static Placeholder placeholder(String written, int offset) {
        String reference = written.substring(OPEN.length(), written.length() - CLOSE.length()).strip();
        String[] words = reference.split("\\.", -1);
        boolean named = words.length >= 2 && Workflow.NAME.matcher(words[1]).matches();
        if (words[0].equals("inputs") && words.length == 2 && named) {
            return new Placeholder(Placeholder.Kind.INPUT, words[1], offset, written);
        }
        if (words[0].equals("steps") && named) {
            if (words.length == 3 && words[2].equals("output")) {
                return new Placeholder(Placeholder.Kind.STEP_OUTPUT, words[1], offset, written);
            }
            if (words.length <= 3) {
                throw new TemplateSyntaxException(offset, "'" + written + "' is not a placeholder: a step offers"
                        + " its output, written {{steps." + words[1] + ".output}}");
            }
        }
        throw new TemplateSyntaxException(offset, "'" + written + "' is not a placeholder; " + FORMS);
    }

    /** The template as written. */
    public String text() {
        return text;
    }

    /** Every placeholder, in the order they are written, repeats included. */
    public List<Placeholder> placeholders() {
        return placeholders;
    }

    /** The names of the inputs the template uses, in the order first used. */
    public Set<String> inputs() {
        return names(Placeholder.Kind.INPUT);
    }

    /** The ids of the steps whose output the template uses, in the order first used. */
    public Set<String> stepOutputs() {
        return names(Placeholder.Kind.STEP_OUTPUT);
    }

    private Set<String> names(Placeholder.Kind kind) {
        Set<String> names = new LinkedHashSet<>();
        for (Placeholder placeholder : placeholders) {
            if (placeholder.kind() == kind) {
                names.add(placeholder.name());
            }
        }
        return Collections.unmodifiableSet(names);
    }

    /**
     * The text with every placeholder replaced by its value, and each <code>{{{{</code> by <code>{{</code>.
     *
     * @param inputs values by input name
     * @param stepOutputs outputs by step id
     * @throws IllegalArgumentException when a placeholder has no value
     */
    public String render(Map<String, String> inputs, Map<String, String> stepOutputs) {
        StringBuilder out = new StringBuilder(text.length());
        for (Object part : parts) {
            if (part instanceof Placeholder placeholder) {
                Map<String, String> values = placeholder.kind() == Placeholder.Kind.INPUT ? inputs : stepOutputs;
                String value = values.get(placeholder.name());
                if (value == null) {
                    throw new IllegalArgumentException("no value for " + placeholder.written());
                }
                out.append(value);
            } else {
                out.append((String) part);
            }
        }
        return out.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Template template && template.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }

    /**
     * One placeholder in a template.
     *
     * @param kind what it names
     * @param name the input's name or the step's id
     * @param offset where it starts in the template's text (0-based, in chars)
     * @param written the placeholder exactly as written, braces included
     */
    public record Placeholder(Kind kind, String name, int offset, String written) {
        public enum Kind {
            /** {@code {{inputs.NAME}}} */
            INPUT,
            /** {@code {{steps.ID.output}}} */
            STEP_OUTPUT
        }

        public Placeholder {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(written, "written");
        }
    }
}
