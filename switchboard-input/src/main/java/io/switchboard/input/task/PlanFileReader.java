package io.switchboard.input.task;

import io.switchboard.core.task.Task;
import io.switchboard.core.task.TaskSource;
import io.switchboard.core.task.TraitInference;
import io.switchboard.input.InputException;
import io.switchboard.input.Spelling;
import io.switchboard.input.yaml.Durations;
import io.switchboard.input.yaml.YamlDocument;
import io.switchboard.input.yaml.YamlValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a plan file: YAML front matter, then {@code <task type="auto">} blocks, each one task, in order.
 *
 * <pre>
 * ---
 * phase: 01-api
 * plan: 02
 * wave: 1
 * depends_on: [01-api-01]
 * files_modified: [api/src/RateLimiter.java]
 * ---
 * &lt;objective&gt;Protect the API from bursts.&lt;/objective&gt;
 *
 * &lt;task type="auto"&gt;
 *   &lt;name&gt;Task 1: Add the token bucket&lt;/name&gt;
 *   &lt;files&gt;api/src/RateLimiter.java&lt;/files&gt;
 *   &lt;action&gt;…&lt;/action&gt;
 *   &lt;verify&gt;./mvnw -q -pl api test&lt;/verify&gt;
 *   &lt;timeout&gt;45m&lt;/timeout&gt;
 *   &lt;done&gt;…&lt;/done&gt;
 * &lt;/task&gt;
 * </pre>
 *
 * <ul>
 *   <li>The first line is {@code ---}; the front matter ends at the next {@code ---} (or {@code ...}) line. Its
 *       keys are {@link #FRONT_MATTER_KEYS}; any other key is an error naming its line. {@code type},
 *       {@code autonomous}, {@code requirements}, {@code user_setup},
 *       {@code must_haves}, {@code domain} and {@code gap_closure} are checked for shape and otherwise
 *       informational.
 *   <li><b>Plan name</b> ({@code TaskDraft.plan}): {@code <phase>-<plan>}, or whichever of the two is given, or
 *       the file's name without its extension. The {@code phase}, when given, is every task's sprint
 *       ({@code TaskDraft.sprint}), so that {@code orchestrate --plan <phase>} runs all the phase's plan files,
 *       wave after wave.
 *   <li><b>Ids</b>: {@code <plan name>-<n>}, n counting the blocks from 1 ({@code 01-api-02-1},
 *       {@code 01-api-02-2}, …), unless a block has an {@code id="…"} attribute.
 *   <li><b>Order</b>: the tasks of a plan run in order, as a person executing the plan would: each task
 *       depends on the one before it. The front matter's {@code depends_on} (task ids or other plans' names,
 *       kept as written) applies to the first task, and so, through the chain, to all of them.
 *   <li>{@code wave}, {@code pool}, {@code priority} and {@code tags} apply to every task of the plan;
 *       {@code tdd="true"} on a block adds the tag {@code tdd}.
 *   <li>A block's {@code <name>} is its title (required); {@code <files>} (separated by commas or lines) its
 *       files, and a block without {@code <files>} has the plan's {@code files_modified}: tasks whose files
 *       overlap never run at the same time; {@code <verify>} its verification;
 *       {@code <timeout>} and {@code <idle_timeout>} its time limits (durations such as {@code 45m}, as in
 *       {@code switchboard.yaml}). {@code <action>}, {@code <behavior>},
 *       {@code <implementation>} and {@code <done>} are instructions for the agent.
 *   <li>The prompt is the plan's {@code <objective>} element, if any, then the block as written.
 *   <li>Only {@code type="auto"} blocks (or blocks without a type) can be run by an agent. A
 *       {@code checkpoint:…} block needs a person, so it is refused rather than skipped: dropping a human gate
 *       silently would change what the plan means.
 * </ul>
 */
final class PlanFileReader {

    static final Set<String> FRONT_MATTER_KEYS = Set.of("phase", "plan", "wave", "depends_on", "files_modified",
            "type", "autonomous", "requirements", "user_setup", "must_haves", "domain", "gap_closure",
            "pool", "priority", "tags");

    static final List<String> TASK_ELEMENTS = List.of("name", "files", "action", "behavior", "implementation",
            "verify", "timeout", "idle_timeout", "done");

    static final Set<String> TASK_ATTRIBUTES = Set.of("type", "id", "tdd");

    private static final Pattern FRONT_MATTER_FENCE = Pattern.compile("---\\s*");
    private static final Pattern FRONT_MATTER_END = Pattern.compile("(?:---|\\.\\.\\.)\\s*");
    private static final Pattern TASK_OPEN = Pattern.compile("<task(\\s[^>]*)?>");
    private static final Pattern ATTRIBUTE = Pattern.compile("\\s*([A-Za-z_][\\w:-]*)\\s*=\\s*\"([^\"]*)\"");
    private static final Pattern ELEMENT_OPEN = Pattern.compile("<([A-Za-z_][\\w-]*)\\s*>");
    private static final Pattern OBJECTIVE = Pattern.compile("<objective>.*?</objective>", Pattern.DOTALL);

    private PlanFileReader() {
    }

    /** Whether the text opens with a {@code ---} line, that is, with front matter. */
    static boolean startsWithFrontMatter(String text) {
        int end = text.indexOf('\n');
        return FRONT_MATTER_FENCE.matcher(end < 0 ? text : text.substring(0, end)).matches();
    }

    /**
     * @param fallbackName the plan name when the front matter gives neither phase nor plan (the file's name
     *     without extension)
     */
    static List<Task> read(String file, String text, String fallbackName) {
        List<String> lines = Lines.of(text);
        if (lines.isEmpty() || !FRONT_MATTER_FENCE.matcher(lines.get(0)).matches()) {
            throw new InputException(file, 1, null, "a plan file starts with YAML front matter: a '---' line, "
                    + "the plan's keys, and another '---' line");
        }
        int close = 1;
        while (close < lines.size() && !FRONT_MATTER_END.matcher(lines.get(close)).matches()) {
            close++;
        }
        if (close == lines.size()) {
            throw new InputException(file, 1, null, "the front matter opened on line 1 is never closed; "
                    + "end it with a '---' line");
        }
        FrontMatter plan = frontMatter(file, String.join("\n", lines.subList(1, close)), fallbackName);

        int bodyFirstLine = close + 2;
        String body = String.join("\n", lines.subList(Math.min(close + 1, lines.size()), lines.size()));
        Body located = new Body(body, bodyFirstLine);
        Matcher objective = OBJECTIVE.matcher(body);
        String objectiveText = objective.find() ? objective.group() : null;

        List<Task> tasks = new ArrayList<>();
        Map<String, Integer> idLines = new HashMap<>();
        String previousId = null;
        int searchFrom = 0;
        Matcher open = TASK_OPEN.matcher(body);
        while (open.find(searchFrom)) {
            int blockLine = located.lineAt(open.start());
            Block block = block(file, located, open, blockLine);
            int number = tasks.size() + 1;
            String id = block.id() != null ? block.id() : plan.name() + "-" + number;
            Integer clash = idLines.putIfAbsent(id.toLowerCase(Locale.ROOT), blockLine);
            if (clash != null) {
                throw new InputException(file, blockLine, null, "task id '" + id + "' is already used by the task "
                        + "on line " + clash);
            }

            TaskDraftBuilder draft = new TaskDraftBuilder(new TaskSource(file, blockLine));
            draft.id = id;
            draft.title = block.name();
            draft.prompt = objectiveText == null ? block.text() : objectiveText + "\n\n" + block.text();
            draft.plan = plan.name();
            draft.sprint = plan.phase();
            draft.wave = plan.wave();
            draft.pool = plan.pool();
            draft.priority = plan.priority();
            draft.tags.addAll(plan.tags());
            if (block.tdd() && !draft.tags.contains("tdd")) {
                draft.tags.add("tdd");
            }
            draft.files.addAll(block.files().isEmpty() ? plan.filesModified() : block.files());
            draft.verify = block.verify();
            draft.timeout = block.timeout();
            draft.idleTimeout = block.idleTimeout();
            if (previousId == null) {
                draft.dependencies.addAll(plan.dependsOn());
            } else {
                draft.dependencies.add(previousId);
            }
            tasks.add(TraitInference.complete(draft.build()));
            previousId = id;
            searchFrom = block.end();
        }
        if (tasks.isEmpty()) {
            throw new InputException(file, 0, null, "no <task type=\"auto\"> blocks after the front matter; "
                    + "a plan file holds at least one");
        }
        return List.copyOf(tasks);
    }

    // ---- front matter ----

    /** @param filesModified the plan's files, which its blocks without {@code <files>} touch */
    private record FrontMatter(String name, String phase, Integer wave, String pool, String priority,
            List<String> tags, List<String> dependsOn, List<String> filesModified) {
    }

    private static FrontMatter frontMatter(String file, String yaml, String fallbackName) {
        YamlValue root = YamlDocument.parse(file, yaml, 2).orElse(null);
        if (root == null || root.isNull()) {
            return new FrontMatter(checkedName(file, 1, fallbackName), null, null, null, null, List.of(), List.of(),
                    List.of());
        }
        Map<String, YamlValue> keys = root.asMap(FRONT_MATTER_KEYS);
        String phase = text(keys.get("phase"));
        String planNumber = text(keys.get("plan"));
        String name;
        int nameLine;
        if (phase != null && planNumber != null) {
            name = phase + "-" + planNumber;
            nameLine = keys.get("phase").line();
        } else if (phase != null || planNumber != null) {
            name = phase != null ? phase : planNumber;
            nameLine = keys.get(phase != null ? "phase" : "plan").line();
        } else {
            name = fallbackName;
            nameLine = 1;
        }
        name = checkedName(file, nameLine, name);

        Integer wave = null;
        YamlValue waveValue = keys.get("wave");
        if (present(waveValue)) {
            wave = waveValue.asInt();
            if (wave < 0) {
                throw waveValue.error("expected a wave of 0 or more, found " + wave);
            }
        }
        List<String> dependsOn = new ArrayList<>();
        YamlValue dependsValue = keys.get("depends_on");
        if (present(dependsValue)) {
            for (String dependency : dependsValue.asStringList()) {
                if (!TaskIds.isValid(dependency)) {
                    throw dependsValue.error("'" + dependency + "' is not a task or plan id: " + TaskIds.rule());
                }
                dependsOn.add(dependency);
            }
        }
        List<String> tags = present(keys.get("tags")) ? keys.get("tags").asStringList() : List.of();
        // Informational keys: checked for shape only, so a wrong shape is still caught.
        if (present(keys.get("requirements"))) {
            keys.get("requirements").asStringList();
        }
        List<String> filesModified = present(keys.get("files_modified"))
                ? keys.get("files_modified").asStringList().stream().map(String::strip).filter(f -> !f.isEmpty())
                        .distinct().toList()
                : List.of();
        for (String flagKey : List.of("autonomous", "gap_closure")) {
            if (present(keys.get(flagKey))) {
                keys.get(flagKey).asBoolean();
            }
        }
        text(keys.get("type"));
        return new FrontMatter(name, phase, wave, text(keys.get("pool")), text(keys.get("priority")), tags,
                dependsOn, filesModified);
    }

    private static String checkedName(String file, int line, String name) {
        if (!TaskIds.isValid(name)) {
            throw new InputException(file, line, null, "the plan name '" + name + "' (from phase and plan, or the "
                    + "file name) makes the task ids, and " + TaskIds.rule());
        }
        return name;
    }

    private static boolean present(YamlValue value) {
        return value != null && !value.isNull();
    }

    private static String text(YamlValue value) {
        return present(value) ? value.asString().strip() : null;
    }

    // ---- task blocks ----

    /**
     * @param end the offset just after {@code </task>}
     * @param text the block as written, from {@code <task} to {@code </task>}
     */
    private record Block(String id, String name, List<String> files, String verify, Duration timeout,
            Duration idleTimeout, boolean tdd, String text, int end) {
    }

    private static Block block(String file, Body body, Matcher open, int blockLine) {
        Map<String, String> attributes = attributes(file, blockLine, open.group(1) == null ? "" : open.group(1));
        String type = attributes.getOrDefault("type", "auto");
        if (!type.equals("auto")) {
            throw new InputException(file, blockLine, null, "a <task type=\"" + type + "\"> needs a person; only "
                    + "type=\"auto\" tasks can be given to an agent (remove the checkpoint or split the plan)");
        }
        for (String name : attributes.keySet()) {
            if (!TASK_ATTRIBUTES.contains(name)) {
                throw new InputException(file, blockLine, null, "unknown attribute '" + name + "' on <task>"
                        + Spelling.didYouMean(name, TASK_ATTRIBUTES) + "; known: id, tdd, type");
            }
        }
        String id = attributes.get("id");
        if (id != null && !TaskIds.isValid(id)) {
            throw new InputException(file, blockLine, null, "id=\"" + id + "\" is not a task id: " + TaskIds.rule());
        }
        String tdd = attributes.getOrDefault("tdd", "false");
        if (!tdd.equals("true") && !tdd.equals("false")) {
            throw new InputException(file, blockLine, null, "tdd=\"" + tdd + "\" must be \"true\" or \"false\"");
        }

        String text = body.text();
        int closeTask = text.indexOf("</task>", open.end());
        Map<String, String> elements = new LinkedHashMap<>();
        Map<String, Duration> limits = new HashMap<>();
        int at = open.end();
        while (true) {
            at = skipSpaceAndComments(text, at);
            if (at >= text.length()) {
                throw new InputException(file, blockLine, null, "<task> opened on line " + blockLine
                        + " is never closed with </task>");
            }
            if (text.startsWith("</task>", at)) {
                at += "</task>".length();
                break;
            }
            int line = body.lineAt(at);
            Matcher element = ELEMENT_OPEN.matcher(text).region(at, text.length());
            if (!element.lookingAt()) {
                int lineEnd = text.indexOf('\n', at);
                throw new InputException(file, line, null, "unexpected text "
                        + Lines.quote(text.substring(at, lineEnd < 0 ? text.length() : lineEnd), 40)
                        + " in the <task> opened on line " + blockLine + "; put instructions inside <action>");
            }
            String name = element.group(1);
            if (name.equals("task")) {
                throw new InputException(file, blockLine, null, "<task> opened on line " + blockLine
                        + " is not closed before the next <task> on line " + line);
            }
            if (!TASK_ELEMENTS.contains(name)) {
                throw new InputException(file, line, null, "unknown element <" + name + "> in a task"
                        + Spelling.didYouMean(name, TASK_ELEMENTS) + "; known: " + String.join(", ", TASK_ELEMENTS));
            }
            String closing = "</" + name + ">";
            int close = text.indexOf(closing, element.end());
            if (close < 0 || (closeTask >= 0 && close > closeTask)) {
                throw new InputException(file, line, null, "<" + name + "> opened on line " + line
                        + " is never closed with " + closing);
            }
            if (elements.containsKey(name)) {
                throw new InputException(file, line, null, "a second <" + name + "> in the task opened on line "
                        + blockLine);
            }
            String content = text.substring(element.end(), close);
            if (name.equals("verify")) {
                checkVerify(file, line, content.strip());
            }
            if (name.equals("timeout") || name.equals("idle_timeout")) {
                limits.put(name, limit(file, line, name, content));
            }
            elements.put(name, content);
            at = close + closing.length();
        }

        String name = elements.getOrDefault("name", "").strip().replaceAll("\\s+", " ");
        if (name.isEmpty()) {
            throw new InputException(file, blockLine, null, "the <task> on line " + blockLine
                    + (elements.containsKey("name") ? " has an empty <name>" : " has no <name>"));
        }
        List<String> files = new ArrayList<>();
        for (String part : elements.getOrDefault("files", "").split("[,\\n]")) {
            String path = part.strip();
            if (path.startsWith("- ") || path.startsWith("* ")) {
                path = path.substring(2).strip();
            }
            path = path.replace("`", "").strip();
            if (!path.isEmpty() && !files.contains(path)) {
                files.add(path);
            }
        }
        String verify = elements.containsKey("verify") ? elements.get("verify").strip() : null;
        return new Block(id, name, files, verify == null || verify.isEmpty() ? null : verify, limits.get("timeout"),
                limits.get("idle_timeout"), tdd.equals("true"), text.substring(open.start(), at), at);
    }

    private static Map<String, String> attributes(String file, int line, String text) {
        Map<String, String> attributes = new LinkedHashMap<>();
        Matcher attribute = ATTRIBUTE.matcher(text);
        int at = 0;
        while (at < text.length() && attribute.region(at, text.length()).lookingAt()) {
            String name = attribute.group(1);
            if (attributes.put(name, attribute.group(2).strip()) != null) {
                throw new InputException(file, line, null, "attribute '" + name + "' given twice on <task>");
            }
            at = attribute.end();
        }
        if (!text.substring(at).isBlank()) {
            throw new InputException(file, line, null, "cannot read the <task> attributes "
                    + Lines.quote(text.substring(at), 40) + "; write them as name=\"value\"");
        }
        return attributes;
    }

    private static int skipSpaceAndComments(String text, int from) {
        int at = from;
        while (at < text.length()) {
            if (Character.isWhitespace(text.charAt(at))) {
                at++;
            } else if (text.startsWith("<!--", at)) {
                int end = text.indexOf("-->", at + 4);
                at = end < 0 ? text.length() : end + 3;
            } else {
                break;
            }
        }
        return at;
    }

    /** The text after the front matter, and the file line of any offset in it. */
    private static final class Body {
        private final String text;
        private final int firstLine;
        private final int[] lineStarts;

        Body(String text, int firstLine) {
            this.text = text;
            this.firstLine = firstLine;
            List<Integer> starts = new ArrayList<>();
            starts.add(0);
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) == '\n') {
                    starts.add(i + 1);
                }
            }
            this.lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
        }

        String text() {
            return text;
        }

        int lineAt(int offset) {
            int index = java.util.Arrays.binarySearch(lineStarts, offset);
            int line = index >= 0 ? index : -index - 2;
            return firstLine + line;
        }
    }

    /**
     * A task's time limit ({@code timeout}, {@code idle_timeout}), read as {@code switchboard.yaml} reads
     * {@code execution.timeout}: a duration, more than zero, at most a week.
     */
    static Duration limit(String file, int line, String key, String written) {
        try {
            return Durations.limit(written);
        } catch (IllegalArgumentException e) {
            throw new InputException(file, line, key, e.getMessage());
        }
    }

    /** A verify command must say what to run, as argv words: it never goes through a shell. */
    static void checkVerify(String file, int line, String command) {
        if (command.isEmpty()) {
            throw new InputException(file, line, "verify", "the verify command is empty; write the command that "
                    + "checks the task (such as ./mvnw -q test), or leave it out");
        }
        try {
            io.switchboard.core.execution.CommandWords.split(command);
        } catch (IllegalArgumentException e) {
            throw new InputException(file, line, "verify", e.getMessage());
        }
    }
}
