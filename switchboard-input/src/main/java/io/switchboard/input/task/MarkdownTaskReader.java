package io.switchboard.input.task;

import io.switchboard.core.agent.Skills;
import io.switchboard.core.task.Risk;
import io.switchboard.core.task.Scope;
import io.switchboard.core.task.Task;
import io.switchboard.core.task.TaskSource;
import io.switchboard.core.task.TaskType;
import io.switchboard.core.task.TraitInference;
import io.switchboard.input.InputException;
import io.switchboard.input.Spelling;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a markdown task file (DESIGN §8) into one task.
 *
 * <pre>
 * # TASK-028: Add a rate limiter
 *
 * ## Metadata
 * - **ID**: TASK-028
 * - **Priority**: High
 * - **Complexity**: 65
 * - **Tags**: api, backend
 *
 * ## Description
 * …
 * ## Dependencies
 * - TASK-012
 * ## Files to Create/Modify
 * - `api/src/main/java/RateLimiter.java` - token bucket
 * </pre>
 *
 * <ul>
 *   <li>The first non-blank line is the heading {@code # <id>: <title>}; {@code # <id> - <title>} and
 *       {@code # [<id>] <title>} are accepted too. The id must contain a digit, so {@code # Notes: …} is not
 *       mistaken for one. A heading without an id is an error; a second {@code #} heading is an error.
 *   <li>{@code ## Metadata} holds {@code - **Key**: value} items ({@code - **Key:** value} and
 *       {@code - Key: value} are fine too). Keys ignore case, spaces, {@code _} and {@code -}; the accepted keys
 *       are {@link #METADATA_KEYS}, plus {@link #INFORMATIONAL_KEYS}, which are accepted and ignored. Any other
 *       key is an error naming its line, so a misspelt key does not silently vanish. An empty value counts as
 *       not stated. An {@code ID} item must repeat the heading's id.
 *   <li>{@code ## Dependencies} (or {@code Depends On}): each list item starts with a task id; prose and
 *       {@code None} are ignored. {@code ## Files…} (any section whose name starts with "File"): each list
 *       item names one path, in backticks or as its first word, optionally followed by a description.
 *   <li>Any other {@code ##} section (Description, Objectives, Acceptance Criteria, Notes, …) is prose for
 *       the agent. A section name one or two letters away from Metadata or Dependencies
 *       ({@code ## Dependecies}) is an error, since its contents would otherwise be lost.
 *   <li>The prompt is the file as written from the heading on, without the Metadata section.
 *   <li>Headings inside fenced code blocks are text, not structure.
 * </ul>
 * Traits stated in the metadata are recorded as stated at {@code "Metadata, line N"}.
 */
final class MarkdownTaskReader {

    /** Metadata keys, as compared: lower case, words separated by one space. */
    static final Set<String> METADATA_KEYS = Set.of("id", "priority", "complexity", "status", "tags", "plan",
            "sprint", "type", "work type", "pool", "estimated tokens", "risk", "scope", "wave", "verify",
            "timeout", "idle timeout", "needs reasoning", "needs iteration", "dependencies", "depends on");

    /** Metadata keys that are common in task files and carry nothing for routing; accepted and ignored. */
    static final Set<String> INFORMATIONAL_KEYS = Set.of("created", "updated", "assignee", "owner", "author");

    private static final Set<String> DEPENDENCY_SECTIONS = Set.of("dependencies", "dependency", "depends on");
    /** Sections whose contents are data; a name one or two letters away from one of these is a typo. */
    private static final List<String> DATA_SECTIONS = List.of("metadata", "dependencies", "dependency", "depends on");

    private static final Pattern H1 = Pattern.compile(" {0,3}#(?:\\s+(.*))?");
    private static final Pattern H2 = Pattern.compile(" {0,3}##(?:\\s+(.*))?");
    private static final Pattern CLOSING_HASHES = Pattern.compile("\\s+#+\\s*$");
    private static final Pattern LIST_ITEM = Pattern.compile("\\s*(?:[-*+]|\\d+[.)])\\s+(.*)");
    private static final Pattern CHECKBOX = Pattern.compile("\\[[ xX]\\]\\s*");
    private static final Pattern COMPLEXITY = Pattern.compile("(\\d{1,9})(?:\\s*/\\s*100)?");
    private static final Pattern TOKENS = Pattern.compile("(\\d[\\d,_]*)\\s*([kK]?)");
    private static final Pattern WHOLE_NUMBER = Pattern.compile("\\d{1,9}");
    private static final Pattern BACKTICKED = Pattern.compile("`([^`]+)`");
    private static final Pattern DEPENDENCY_REST = Pattern.compile("\\s*(?:$|[:(,]|[-–—]\\s)");
    private static final Set<String> NONE = Set.of("none", "n/a", "na", "-", "—", "nothing");

    private MarkdownTaskReader() {
    }

    /** Whether the text looks like a plan file's body, for a hint when its front matter is missing. */
    static boolean looksLikePlan(String text) {
        return text.contains("<task type=") || text.contains("<task>");
    }

    static Task read(String file, String text) {
        List<String> lines = Lines.of(text);
        int headingIndex = 0;
        while (headingIndex < lines.size() && lines.get(headingIndex).isBlank()) {
            headingIndex++;
        }
        if (headingIndex == lines.size()) {
            throw new InputException(file, 0, null, "the file is empty; a task file starts with '# TASK-028: Title'");
        }
        int headingLine = headingIndex + 1;
        String heading = lines.get(headingIndex);
        Matcher h1 = H1.matcher(heading);
        if (!h1.matches()) {
            String hint = looksLikePlan(text)
                    ? "; this looks like a plan file, which must start with YAML front matter between '---' lines"
                    : "";
            throw new InputException(file, headingLine, null, "expected the task heading '# TASK-028: Title' first, "
                    + "found " + Lines.quote(heading, 60) + hint);
        }
        String[] idAndTitle = idAndTitle(h1.group(1) == null ? "" : h1.group(1));
        if (idAndTitle == null) {
            throw new InputException(file, headingLine, null, "the heading " + Lines.quote(heading, 60)
                    + " has no task id; write it as '# TASK-028: Title' (the id contains a digit)");
        }
        if (!TaskIds.isValid(idAndTitle[0])) {
            throw new InputException(file, headingLine, null, "'" + idAndTitle[0] + "' is not a task id: "
                    + TaskIds.rule());
        }
        if (idAndTitle[1].isBlank()) {
            throw new InputException(file, headingLine, null, "the heading names task " + idAndTitle[0]
                    + " but gives no title; write it as '# " + idAndTitle[0] + ": Title'");
        }

        TaskDraftBuilder draft = new TaskDraftBuilder(new TaskSource(file, headingLine));
        draft.id = idAndTitle[0];
        draft.title = idAndTitle[1];

        List<Section> sections = sections(file, lines, headingIndex + 1);
        Set<String> seen = new LinkedHashSet<>();
        StringBuilder prompt = new StringBuilder(heading.strip()).append("\n\n");
        List<String> body = new ArrayList<>();
        for (Section section : sections) {
            if (section.kind() != Kind.PROSE && !seen.add(section.kind().name())) {
                throw new InputException(file, section.line(), null, "a second '## " + section.name()
                        + "' section; each task file has one");
            }
            switch (section.kind()) {
                case METADATA -> readMetadata(file, section, draft);
                case DEPENDENCIES -> readDependencies(file, section, draft);
                case FILES -> readFiles(section, draft);
                case PROSE -> {
                }
            }
            if (section.kind() != Kind.METADATA) {
                if (section.line() > 0) {
                    body.add(lines.get(section.line() - 1));
                }
                section.body().forEach(line -> body.add(line.text()));
            }
        }
        int from = 0;
        int to = body.size();
        while (from < to && body.get(from).isBlank()) {
            from++;
        }
        while (to > from && body.get(to - 1).isBlank()) {
            to--;
        }
        prompt.append(String.join("\n", body.subList(from, to)));
        draft.prompt = prompt.toString().strip();
        if (draft.dependencies.stream().anyMatch(dependency -> dependency.equalsIgnoreCase(draft.id))) {
            throw new InputException(file, headingLine, null, "task " + draft.id + " depends on itself");
        }
        return TraitInference.complete(draft.build());
    }

    /** {id, title} from the heading text after {@code #}, or {@code null} when it names no id. */
    private static String[] idAndTitle(String headingText) {
        String rest = CLOSING_HASHES.matcher(headingText).replaceFirst("").strip();
        String id;
        String title;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                return null;
            }
            id = rest.substring(1, close).strip();
            title = rest.substring(close + 1).strip();
            if (title.startsWith(":") || title.startsWith("-") || title.startsWith("–") || title.startsWith("—")) {
                title = title.substring(1).strip();
            }
        } else {
            int separator = -1;
            int separatorLength = 0;
            for (String candidate : List.of(":", " - ", " – ", " — ")) {
                int at = rest.indexOf(candidate);
                if (at > 0 && (separator < 0 || at < separator)) {
                    separator = at;
                    separatorLength = candidate.length();
                }
            }
            if (separator < 0) {
                return null;
            }
            id = rest.substring(0, separator).strip();
            title = rest.substring(separator + separatorLength).strip();
        }
        if (id.isEmpty() || id.chars().noneMatch(Character::isDigit) || id.chars().anyMatch(Character::isWhitespace)) {
            return null;
        }
        return new String[] {id, title};
    }

    // ---- sections ----

    private enum Kind { METADATA, DEPENDENCIES, FILES, PROSE }

    /** @param fenced whether the line is part of a fenced code block */
    private record Line(int number, String text, boolean fenced) {
    }

    /**
     * @param line the heading's line, or 0 for the text between the task heading and the first section
     */
    private record Section(String name, Kind kind, int line, List<Line> body) {
    }

    private static List<Section> sections(String file, List<String> lines, int start) {
        List<Section> sections = new ArrayList<>();
        Section current = new Section("", Kind.PROSE, 0, new ArrayList<>());
        sections.add(current);
        Fence fence = new Fence();
        for (int i = start; i < lines.size(); i++) {
            String text = lines.get(i);
            int number = i + 1;
            if (fence.update(text)) {
                current.body().add(new Line(number, text, true));
                continue;
            }
            if (H1.matcher(text).matches()) {
                throw new InputException(file, number, null, "a second '#' heading " + Lines.quote(text, 60)
                        + "; a task file holds one task (use '##' for sections)");
            }
            Matcher h2 = H2.matcher(text);
            if (h2.matches()) {
                String name = h2.group(1) == null ? "" : CLOSING_HASHES.matcher(h2.group(1)).replaceFirst("").strip();
                current = new Section(name, kindOf(file, number, name), number, new ArrayList<>());
                sections.add(current);
                continue;
            }
            current.body().add(new Line(number, text, false));
        }
        return sections;
    }

    private static Kind kindOf(String file, int line, String name) {
        String key = normalizeKey(name.endsWith(":") ? name.substring(0, name.length() - 1) : name);
        if (key.equals("metadata")) {
            return Kind.METADATA;
        }
        if (DEPENDENCY_SECTIONS.contains(key)) {
            return Kind.DEPENDENCIES;
        }
        if (key.startsWith("file")) {
            return Kind.FILES;
        }
        if (key.length() > 3) {
            String suggestion = Spelling.didYouMean(key, DATA_SECTIONS);
            if (!suggestion.isEmpty()) {
                throw new InputException(file, line, null, "unknown section '## " + name + "'" + suggestion
                        + "; its contents would be read as plain text");
            }
        }
        return Kind.PROSE;
    }

    /** Tracks fenced code blocks (``` or ~~~); headings inside them are text. */
    private static final class Fence {
        private char marker;
        private int length;

        /** @return true when the line opens, is inside or closes a fence */
        boolean update(String line) {
            String stripped = line.strip();
            int run = 0;
            char first = stripped.isEmpty() ? 0 : stripped.charAt(0);
            if (first == '`' || first == '~') {
                while (run < stripped.length() && stripped.charAt(run) == first) {
                    run++;
                }
            }
            if (length == 0) {
                if (run >= 3) {
                    marker = first;
                    length = run;
                    return true;
                }
                return false;
            }
            if (first == marker && run >= length && stripped.substring(run).isBlank()) {
                length = 0;
            }
            return true;
        }
    }

    // ---- metadata ----

    private static void readMetadata(String file, Section section, TaskDraftBuilder draft) {
        Map<String, Integer> keyLines = new HashMap<>();
        for (Line line : section.body()) {
            String text = line.text().strip();
            if (text.isEmpty() || (text.startsWith("<!--") && text.endsWith("-->"))) {
                continue;
            }
            Matcher item = LIST_ITEM.matcher(line.text());
            if (line.fenced() || !item.matches()) {
                throw new InputException(file, line.number(), null, "expected a metadata item '- **Key**: value', "
                        + "found " + Lines.quote(text, 60));
            }
            String[] keyAndValue = keyAndValue(item.group(1));
            if (keyAndValue == null) {
                throw new InputException(file, line.number(), null, "expected a metadata item '- **Key**: value', "
                        + "found " + Lines.quote(text, 60));
            }
            String written = keyAndValue[0];
            String key = normalizeKey(written);
            if (INFORMATIONAL_KEYS.contains(key)) {
                continue;
            }
            if (!METADATA_KEYS.contains(key)) {
                List<String> known = new ArrayList<>(METADATA_KEYS);
                known.addAll(INFORMATIONAL_KEYS);
                throw new InputException(file, line.number(), written, "unknown metadata key"
                        + Spelling.didYouMean(key, known) + "; known keys: " + String.join(", ",
                                METADATA_KEYS.stream().sorted().toList()));
            }
            String canonical = key.equals("depends on") ? "dependencies" : key;
            Integer previous = keyLines.putIfAbsent(canonical, line.number());
            if (previous != null) {
                throw new InputException(file, line.number(), written, "stated twice (first on line " + previous + ")");
            }
            String value = unwrap(keyAndValue[1]);
            if (!value.isEmpty()) {
                readMetadataValue(file, line.number(), written, canonical, value, draft);
            }
        }
    }

    /** {key, value} of a metadata item's text after the list marker, or {@code null}. */
    private static String[] keyAndValue(String item) {
        String text = item.strip();
        if (text.startsWith("**")) {
            int close = text.indexOf("**", 2);
            if (close < 0) {
                return null;
            }
            String key = text.substring(2, close).strip();
            String rest = text.substring(close + 2);
            if (key.endsWith(":")) {
                key = key.substring(0, key.length() - 1).strip();
            } else if (rest.stripLeading().startsWith(":")) {
                rest = rest.stripLeading().substring(1);
            } else {
                return null;
            }
            return key.isEmpty() ? null : new String[] {key, rest};
        }
        int colon = text.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        return new String[] {text.substring(0, colon).strip(), text.substring(colon + 1)};
    }

    private static void readMetadataValue(String file, int line, String written, String key, String value,
            TaskDraftBuilder draft) {
        String where = "Metadata, line " + line;
        switch (key) {
            case "id" -> {
                if (!value.equalsIgnoreCase(draft.id)) {
                    throw new InputException(file, line, written, "'" + value + "' differs from the heading's id '"
                            + draft.id + "'");
                }
            }
            case "priority" -> draft.priority = value;
            case "status" -> draft.status = value;
            case "plan" -> draft.plan = value;
            case "sprint" -> draft.sprint = value;
            case "pool" -> draft.pool = value;
            case "verify" -> {
                PlanFileReader.checkVerify(file, line, value.strip());
                draft.verify = value.strip();
            }
            case "timeout" -> draft.timeout = PlanFileReader.limit(file, line, written, value);
            case "idle timeout" -> draft.idleTimeout = PlanFileReader.limit(file, line, written, value);
            case "tags" -> {
                for (String tag : splitList(value)) {
                    String cleaned = tag.startsWith("#") ? tag.substring(1).strip() : tag;
                    if (!cleaned.isEmpty()) {
                        draft.tags.add(cleaned);
                    }
                }
            }
            case "dependencies" -> {
                for (String dependency : splitList(value)) {
                    if (NONE.contains(dependency.toLowerCase(Locale.ROOT))) {
                        continue;
                    }
                    if (!TaskIds.isValid(dependency)) {
                        throw new InputException(file, line, written, "'" + dependency + "' is not a task id: "
                                + TaskIds.rule());
                    }
                    draft.dependencies.add(dependency);
                }
            }
            case "complexity" -> {
                Matcher number = COMPLEXITY.matcher(value);
                int complexity = number.matches() ? Integer.parseInt(number.group(1)) : -1;
                if (complexity < 0 || complexity > 100) {
                    throw new InputException(file, line, written, "expected a whole number from 0 to 100, found '"
                            + value + "'");
                }
                draft.complexity = complexity;
                draft.statedAt("complexity", where);
            }
            case "type" -> {
                draft.type = TaskType.fromConfigName(Skills.normalize(value)).orElseThrow(() -> new InputException(
                        file, line, written, "unknown type '" + value + "'; one of "
                                + names(Arrays.stream(TaskType.values()).map(TaskType::configName).toList())));
                draft.statedAt("type", where);
            }
            case "work type" -> {
                draft.workType = value;
                draft.statedAt("work_type", where);
            }
            case "risk" -> {
                draft.risk = Risk.fromConfigName(Skills.normalize(value)).orElseThrow(() -> new InputException(
                        file, line, written, "unknown risk '" + value + "'; one of "
                                + names(Arrays.stream(Risk.values()).map(Risk::configName).toList())));
                draft.statedAt("risk", where);
            }
            case "scope" -> {
                draft.scope = Scope.fromConfigName(Skills.normalize(value)).orElseThrow(() -> new InputException(
                        file, line, written, "unknown scope '" + value + "'; one of "
                                + names(Arrays.stream(Scope.values()).map(Scope::configName).toList())));
                draft.statedAt("scope", where);
            }
            case "estimated tokens" -> {
                Matcher number = TOKENS.matcher(value);
                if (!number.matches()) {
                    throw new InputException(file, line, written, "expected a number of tokens such as 12000, "
                            + "12,000 or 12k, found '" + value + "'");
                }
                String digits = number.group(1).replace(",", "").replace("_", "");
                try {
                    long tokens = Long.parseLong(digits);
                    draft.estimatedTokens = number.group(2).isEmpty() ? tokens : Math.multiplyExact(tokens, 1_000L);
                } catch (NumberFormatException | ArithmeticException e) {
                    throw new InputException(file, line, written, "the number '" + value + "' is too large");
                }
                draft.statedAt("estimated_tokens", where);
            }
            case "wave" -> {
                if (!WHOLE_NUMBER.matcher(value).matches()) {
                    throw new InputException(file, line, written, "expected a whole number, found '" + value + "'");
                }
                draft.wave = Integer.parseInt(value);
            }
            case "needs reasoning" -> {
                draft.needsReasoning = yesOrNo(file, line, written, value);
                draft.statedAt("needs_reasoning", where);
            }
            case "needs iteration" -> {
                draft.needsIteration = yesOrNo(file, line, written, value);
                draft.statedAt("needs_iteration", where);
            }
            default -> throw new IllegalStateException("metadata key without a reader: " + key);
        }
    }

    private static boolean yesOrNo(String file, int line, String key, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "yes", "true" -> true;
            case "no", "false" -> false;
            default -> throw new InputException(file, line, key, "expected yes or no, found '" + value + "'");
        };
    }

    // ---- dependencies and files ----

    private static void readDependencies(String file, Section section, TaskDraftBuilder draft) {
        for (Line line : section.body()) {
            Matcher item = LIST_ITEM.matcher(line.text());
            if (line.fenced() || !item.matches()) {
                continue;
            }
            String text = CHECKBOX.matcher(item.group(1).strip()).replaceFirst("");
            if (text.startsWith("[") && text.indexOf("](") > 0) {
                text = text.substring(1, text.indexOf("](")) + text.substring(text.indexOf(')', text.indexOf("](")) + 1);
            }
            text = text.replace("`", "").replace("**", "").strip();
            if (text.isEmpty() || NONE.contains(text.toLowerCase(Locale.ROOT).replaceAll("[.!]$", ""))) {
                continue;
            }
            int end = 0;
            while (end < text.length() && !Character.isWhitespace(text.charAt(end)) && ":,(".indexOf(text.charAt(end)) < 0) {
                end++;
            }
            String id = text.substring(0, end);
            boolean looksLikeId = TaskIds.isValid(id)
                    && (id.chars().anyMatch(Character::isDigit) || DEPENDENCY_REST.matcher(text.substring(end)).lookingAt());
            if (!looksLikeId) {
                throw new InputException(file, line.number(), null, "expected a dependency to start with a task id "
                        + "such as TASK-012, found " + Lines.quote(text, 60));
            }
            draft.dependencies.add(id);
        }
    }

    private static void readFiles(Section section, TaskDraftBuilder draft) {
        for (Line line : section.body()) {
            Matcher item = LIST_ITEM.matcher(line.text());
            if (line.fenced() || !item.matches()) {
                continue;
            }
            String text = CHECKBOX.matcher(item.group(1).strip()).replaceFirst("");
            Matcher backticked = BACKTICKED.matcher(text);
            String path;
            if (backticked.find()) {
                path = backticked.group(1).strip();
            } else {
                String first = text.replace("**", "").strip().split("\\s+", 2)[0];
                path = first.replaceAll("[:,;]+$", "");
            }
            if (!path.isEmpty() && !NONE.contains(path.toLowerCase(Locale.ROOT).replaceAll("[.!]$", ""))) {
                draft.files.add(path);
            }
        }
    }

    // ---- shared ----

    static String normalizeKey(String key) {
        return key.strip().toLowerCase(Locale.ROOT).replaceAll("[\\s_-]+", " ");
    }

    /** A value without surrounding backticks or brackets. */
    private static String unwrap(String value) {
        String text = value.strip();
        if (text.length() >= 2 && text.startsWith("`") && text.endsWith("`") && text.indexOf('`', 1) == text.length() - 1) {
            text = text.substring(1, text.length() - 1).strip();
        }
        return text;
    }

    private static List<String> splitList(String value) {
        String text = value.strip();
        if (text.startsWith("[") && text.endsWith("]")) {
            text = text.substring(1, text.length() - 1);
        }
        List<String> items = new ArrayList<>();
        for (String item : text.split(",")) {
            String cleaned = item.replace("`", "").strip();
            if (!cleaned.isEmpty()) {
                items.add(cleaned);
            }
        }
        return items;
    }

    private static String names(List<String> names) {
        return String.join(", ", names);
    }
}
