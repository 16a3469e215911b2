package io.switchboard.input.yaml;

import io.switchboard.input.InputException;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads YAML (and JSON, which YAML 1.2 contains) into {@link YamlValue}s that remember their line, so every
 * later error can name file, line and key.
 *
 * <p>Anchors and aliases are refused outright: configuration and task files have no need for them, and
 * refusing them defuses the "billion laughs" alias bomb before anything is expanded. Duplicate keys are
 * refused too. Documents are limited to {@link #MAX_CODE_POINTS}.
 */
public final class YamlDocument {
    /** Larger inputs are refused; no config or task file comes near this. */
    public static final int MAX_CODE_POINTS = 8 * 1024 * 1024;

    private YamlDocument() {
    }

    /**
     * Parses one YAML document.
     *
     * @param file the file name to put in errors
     * @param text the whole document
     * @param firstLine the 1-based line of the document's first line in the file (for front matter)
     * @return the root, or empty for an empty document
     * @throws InputException when the text is not YAML, uses anchors or aliases, or repeats a key
     */
    public static Optional<YamlValue> parse(String file, String text, int firstLine) {
        LoadSettings settings = LoadSettings.builder()
                .setLabel(file)
                .setAllowDuplicateKeys(false)
                .setMaxAliasesForCollections(0)
                .setAllowRecursiveKeys(false)
                .setCodePointLimit(MAX_CODE_POINTS)
                .build();
        try {
            for (Event event : new Parse(settings).parseString(text)) {
                if (event instanceof AliasEvent) {
                    throw new InputException(file, line(event.getStartMark(), firstLine), null,
                            "YAML aliases (*name) are not allowed here");
                }
                if (event instanceof NodeEvent node && node.getAnchor().isPresent()) {
                    throw new InputException(file, line(event.getStartMark(), firstLine), null,
                            "YAML anchors (&name) are not allowed here");
                }
            }
            Optional<Node> root = new Compose(settings).composeString(text);
            return root.map(node -> new YamlValue(file, "", node, firstLine));
        } catch (MarkedYamlEngineException e) {
            String problem = e.getProblem() == null ? e.getContext() : e.getProblem();
            throw new InputException(file, line(e.getProblemMark(), firstLine), null,
                    "not valid YAML: " + problem);
        } catch (YamlEngineException e) {
            throw new InputException(file, 0, null, "not valid YAML: " + e.getMessage());
        }
    }

    public static Optional<YamlValue> parse(String file, String text) {
        return parse(file, text, 1);
    }

    static int line(Optional<Mark> mark, int firstLine) {
        return mark.map(m -> m.getLine() + firstLine).orElse(0);
    }
}
