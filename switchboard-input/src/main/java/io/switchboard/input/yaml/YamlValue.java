package io.switchboard.input.yaml;

import io.switchboard.input.InputException;
import io.switchboard.input.Spelling;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * One node of a YAML document with its file, line and dotted key path. Typed accessors turn a wrong type
 * into an {@link InputException} that names all three, so readers never see a raw parser type.
 */
public final class YamlValue {
    private final String file;
    private final String path;
    private final Node node;
    private final int firstLine;

    YamlValue(String file, String path, Node node, int firstLine) {
        this.file = file;
        this.path = path;
        this.node = node;
        this.firstLine = firstLine;
    }

    public String file() {
        return file;
    }

    /** The dotted key path, for example {@code agents.codex.cost_per_1k_tokens}; empty for the root. */
    public String path() {
        return path;
    }

    /** The 1-based line the value starts on. */
    public int line() {
        return YamlDocument.line(node.getStartMark(), firstLine);
    }

    /**
     * The 1-based line of a position inside this scalar's text. Exact for a literal block scalar ({@code |}),
     * whose lines are the file's lines, and for a value on one line; for any other the line the value starts on.
     *
     * @param offset a position in {@link #asString()}, in chars
     */
    public int lineAt(int offset) {
        if (node instanceof ScalarNode scalar && scalar.getScalarStyle() == ScalarStyle.LITERAL) {
            String text = scalar.getValue();
            int breaks = 0;
            for (int i = 0; i < Math.min(offset, text.length()); i++) {
                if (text.charAt(i) == '\n') {
                    breaks++;
                }
            }
            // The text starts on the line after the one holding the '|'.
            return line() + 1 + breaks;
        }
        return line();
    }

    /** An error about this value. */
    public InputException error(String problem) {
        return new InputException(file, line(), path.isEmpty() ? null : path, problem);
    }

    public boolean isMap() {
        return node instanceof MappingNode;
    }

    public boolean isList() {
        return node instanceof SequenceNode;
    }

    public boolean isNull() {
        return node instanceof ScalarNode && node.getTag().equals(Tag.NULL);
    }

    public boolean isScalar() {
        return node instanceof ScalarNode && !isNull();
    }

    /**
     * The entries of a mapping in document order. Keys must be scalars and must not repeat: the composer
     * snakeyaml-engine offers does not check {@code setAllowDuplicateKeys(false)} (only its constructor does),
     * so a repeated key is refused here rather than letting the last one silently win.
     */
    public Map<String, YamlValue> asMap() {
        if (!(node instanceof MappingNode mapping)) {
            throw error("expected a mapping (key: value lines), found " + describe());
        }
        Map<String, YamlValue> entries = new LinkedHashMap<>();
        Map<String, Integer> keyLines = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            int keyLine = YamlDocument.line(tuple.getKeyNode().getStartMark(), firstLine);
            if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                throw new InputException(file, keyLine, path.isEmpty() ? null : path, "keys must be plain words");
            }
            String name = key.getValue();
            Integer earlier = keyLines.putIfAbsent(name, keyLine);
            if (earlier != null) {
                throw new InputException(file, keyLine, child(name),
                        "key '" + name + "' appears twice, at lines " + earlier + " and " + keyLine);
            }
            entries.put(name, new YamlValue(file, child(name), tuple.getValueNode(), firstLine));
        }
        return entries;
    }

    /** The mapping's entries, refusing any key outside {@code allowed} with the line of that key. */
    public Map<String, YamlValue> asMap(Set<String> allowed) {
        Map<String, YamlValue> entries = asMap();
        for (Map.Entry<String, YamlValue> entry : entries.entrySet()) {
            if (!allowed.contains(entry.getKey())) {
                YamlValue value = entry.getValue();
                throw new InputException(file, keyLine(entry.getKey()), value.path,
                        "unknown key '" + entry.getKey() + "'" + Spelling.didYouMean(entry.getKey(), allowed)
                                + "; allowed here: " + String.join(", ", new TreeSet<>(allowed)));
            }
        }
        return entries;
    }

    public List<YamlValue> asList() {
        if (!(node instanceof SequenceNode sequence)) {
            throw error("expected a list, found " + describe());
        }
        List<YamlValue> items = new ArrayList<>();
        List<Node> nodes = sequence.getValue();
        for (int i = 0; i < nodes.size(); i++) {
            items.add(new YamlValue(file, path + "[" + i + "]", nodes.get(i), firstLine));
        }
        return items;
    }

    /** A scalar as text (numbers and booleans as written). */
    public String asString() {
        if (!isScalar()) {
            throw error("expected a text value, found " + describe());
        }
        return ((ScalarNode) node).getValue();
    }

    /** A list of scalars, or a single scalar taken as a list of one; a comma-free list is what is expected. */
    public List<String> asStringList() {
        if (isScalar()) {
            return List.of(asString());
        }
        List<String> values = new ArrayList<>();
        for (YamlValue item : asList()) {
            values.add(item.asString());
        }
        return values;
    }

    public long asLong() {
        if (!isScalar() || !node.getTag().equals(Tag.INT)) {
            throw error("expected a whole number, found " + describe());
        }
        try {
            return new BigDecimal(asString().replace("_", "")).longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw error("expected a whole number, found '" + asString() + "'");
        }
    }

    public int asInt() {
        long value = asLong();
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw error("number " + value + " is too large");
        }
        return (int) value;
    }

    public double asDouble() {
        if (!isScalar() || !(node.getTag().equals(Tag.INT) || node.getTag().equals(Tag.FLOAT))) {
            throw error("expected a number, found " + describe());
        }
        try {
            double value = Double.parseDouble(asString().replace("_", ""));
            if (!Double.isFinite(value)) {
                throw error("expected a finite number, found '" + asString() + "'");
            }
            return value;
        } catch (NumberFormatException e) {
            throw error("expected a number, found '" + asString() + "'");
        }
    }

    public boolean asBoolean() {
        if (!isScalar() || !node.getTag().equals(Tag.BOOL)) {
            throw error("expected true or false, found " + describe());
        }
        return Boolean.parseBoolean(asString().toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * A duration written as a number and a unit: {@code 30s}, {@code 15m}, {@code 4h}, {@code 14d}, or
     * ISO-8601 ({@code PT4H}). A bare number is refused: the unit is never guessed.
     */
    public Duration asDuration() {
        String text = asString().strip();
        Optional<Duration> parsed = Durations.parse(text);
        return parsed.orElseThrow(() -> error(Durations.notADuration(text)));
    }

    /** A time limit: a duration, more than zero and at most a week ({@link Durations#limit}). */
    public Duration asLimit() {
        String text = asString();
        try {
            return Durations.limit(text);
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
    }

    /** What this node is, for error messages. */
    public String describe() {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        if (isNull()) {
            return "nothing (null)";
        }
        Tag tag = node.getTag();
        String text = ((ScalarNode) node).getValue();
        if (tag.equals(Tag.INT) || tag.equals(Tag.FLOAT)) {
            return "the number " + text;
        }
        if (tag.equals(Tag.BOOL)) {
            return "the boolean " + text;
        }
        return "the text '" + text + "'";
    }

    /**
     * The 1-based line of a key of this mapping, for errors about an entry as a whole (where a thing was
     * declared, an entry that is missing something); the line of this value when the key is not there.
     */
    public int keyLine(String key) {
        if (!(node instanceof MappingNode)) {
            return line();
        }
        for (NodeTuple tuple : ((MappingNode) node).getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode scalar && scalar.getValue().equals(key)) {
                return YamlDocument.line(scalar.getStartMark(), firstLine);
            }
        }
        return line();
    }

    private String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
