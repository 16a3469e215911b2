package io.switchboard.input.task;

import io.switchboard.core.agent.Skills;
import io.switchboard.core.task.Risk;
import io.switchboard.core.task.Scope;
import io.switchboard.core.task.Task;
import io.switchboard.core.task.TaskSource;
import io.switchboard.core.task.TaskType;
import io.switchboard.core.task.TraitInference;
import io.switchboard.input.InputException;
import io.switchboard.input.yaml.YamlDocument;
import io.switchboard.input.yaml.YamlValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Reads a YAML or JSON task file (JSON is read as the YAML it is, so both give lines in errors).
 *
 * <p>A file holds one task, a mapping with the keys {@link #TASK_KEYS}, or several under {@code tasks:}, a
 * list of such mappings and the only key at the top. Any other key is an error naming its line.
 * <ul>
 *   <li>{@code id} is required. {@code prompt} and {@code description} are the same thing; give one.
 *       Without a title the prompt's first line is the title; without a prompt the title is the prompt.
 *   <li>{@code type}, {@code scope} and {@code risk} take their config names ({@code implement},
 *       {@code multi-module}, {@code high}); {@code complexity} is a whole number from 0 to 100.
 *   <li>{@code tags}, {@code dependencies} and {@code files} are lists, or one value.
 *   <li>{@code timeout} and {@code idle_timeout} are durations as in {@code switchboard.yaml} ({@code 45m}),
 *       more than zero and at most a week.
 *   <li>A key with no value counts as not given.
 * </ul>
 * Stated traits are recorded as stated at {@code "line N"}.
 */
final class YamlTaskReader {

    static final Set<String> TASK_KEYS = Set.of("id", "title", "prompt", "description", "type", "work_type",
            "complexity", "scope", "risk", "estimated_tokens", "needs_reasoning", "needs_iteration", "priority",
            "tags", "plan", "sprint", "status", "wave", "pool", "dependencies", "files", "verify", "timeout",
            "idle_timeout");

    private YamlTaskReader() {
    }

    static List<Task> read(String file, String text) {
        YamlValue root = YamlDocument.parse(file, text).filter(value -> !value.isNull()).orElseThrow(() ->
                new InputException(file, 0, null, "the file is empty; expected a task (id, title, prompt, …) or a "
                        + "'tasks:' list"));
        if (root.isMap() && root.asMap().containsKey("tasks")) {
            YamlValue list = root.asMap(Set.of("tasks")).get("tasks");
            List<YamlValue> items = list.asList();
            if (items.isEmpty()) {
                throw list.error("the list of tasks is empty");
            }
            List<Task> tasks = new ArrayList<>();
            Map<String, Integer> idLines = new HashMap<>();
            for (YamlValue item : items) {
                Task task = task(file, item);
                Integer clash = idLines.putIfAbsent(task.id().toLowerCase(Locale.ROOT), item.line());
                if (clash != null) {
                    throw new InputException(file, item.line(), item.path() + ".id", "task id '" + task.id()
                            + "' is already used by the task on line " + clash);
                }
                tasks.add(task);
            }
            return List.copyOf(tasks);
        }
        if (!root.isMap()) {
            throw root.error("expected a task (id, title, prompt, …) or a 'tasks:' list, found " + root.describe());
        }
        return List.of(task(file, root));
    }

    private static Task task(String file, YamlValue value) {
        Map<String, YamlValue> keys = value.asMap(TASK_KEYS);
        keys.values().removeIf(YamlValue::isNull);
        TaskDraftBuilder draft = new TaskDraftBuilder(new TaskSource(file, value.line()));

        YamlValue id = keys.get("id");
        if (id == null) {
            throw value.error("a task needs an id");
        }
        draft.id = id.asString().strip();
        if (!TaskIds.isValid(draft.id)) {
            throw id.error("'" + draft.id + "' is not a task id: " + TaskIds.rule());
        }

        if (keys.containsKey("prompt") && keys.containsKey("description")) {
            throw keys.get("description").error("give either prompt or description, not both");
        }
        YamlValue prompt = keys.containsKey("prompt") ? keys.get("prompt") : keys.get("description");
        draft.prompt = prompt == null ? null : prompt.asString();
        draft.title = keys.containsKey("title") ? keys.get("title").asString().strip() : null;
        if (isBlank(draft.title) && isBlank(draft.prompt)) {
            throw value.error("task " + draft.id + " needs a title or a prompt");
        }
        if (isBlank(draft.title)) {
            draft.title = Titles.firstLine(draft.prompt);
        }
        if (isBlank(draft.prompt)) {
            draft.prompt = draft.title;
        }

        ifPresent(keys, "type", draft, v -> draft.type = named(v, "type",
                TaskType::fromConfigName, Arrays.stream(TaskType.values()).map(TaskType::configName).toList()));
        ifPresent(keys, "work_type", draft, v -> draft.workType = nonBlank(v));
        ifPresent(keys, "complexity", draft, v -> {
            int complexity = v.asInt();
            if (complexity < 0 || complexity > 100) {
                throw v.error("expected a whole number from 0 to 100, found " + complexity);
            }
            draft.complexity = complexity;
        });
        ifPresent(keys, "scope", draft, v -> draft.scope = named(v, "scope",
                Scope::fromConfigName, Arrays.stream(Scope.values()).map(Scope::configName).toList()));
        ifPresent(keys, "risk", draft, v -> draft.risk = named(v, "risk",
                Risk::fromConfigName, Arrays.stream(Risk.values()).map(Risk::configName).toList()));
        ifPresent(keys, "estimated_tokens", draft, v -> {
            long tokens = v.asLong();
            if (tokens < 0) {
                throw v.error("expected zero or more tokens, found " + tokens);
            }
            draft.estimatedTokens = tokens;
        });
        ifPresent(keys, "needs_reasoning", draft, v -> draft.needsReasoning = v.asBoolean());
        ifPresent(keys, "needs_iteration", draft, v -> draft.needsIteration = v.asBoolean());

        draft.priority = text(keys.get("priority"));
        draft.plan = text(keys.get("plan"));
        draft.sprint = text(keys.get("sprint"));
        draft.status = text(keys.get("status"));
        draft.pool = text(keys.get("pool"));
        if (keys.containsKey("verify")) {
            YamlValue verify = keys.get("verify");
            String command = verify.isNull() ? "" : verify.asString().strip();
            try {
                PlanFileReader.checkVerify(verify.file(), verify.line(), command);
            } catch (io.switchboard.input.InputException e) {
                throw verify.error(e.problem());
            }
            draft.verify = command;
        }
        if (keys.containsKey("timeout")) {
            draft.timeout = keys.get("timeout").asLimit();
        }
        if (keys.containsKey("idle_timeout")) {
            draft.idleTimeout = keys.get("idle_timeout").asLimit();
        }
        if (keys.containsKey("wave")) {
            int wave = keys.get("wave").asInt();
            if (wave < 0) {
                throw keys.get("wave").error("expected a wave of 0 or more, found " + wave);
            }
            draft.wave = wave;
        }
        if (keys.containsKey("tags")) {
            keys.get("tags").asStringList().stream().map(String::strip).filter(tag -> !tag.isEmpty())
                    .forEach(draft.tags::add);
        }
        if (keys.containsKey("files")) {
            keys.get("files").asStringList().stream().map(String::strip).filter(path -> !path.isEmpty())
                    .forEach(draft.files::add);
        }
        if (keys.containsKey("dependencies")) {
            YamlValue dependencies = keys.get("dependencies");
            for (String dependency : dependencies.asStringList()) {
                String trimmed = dependency.strip();
                if (!TaskIds.isValid(trimmed)) {
                    throw dependencies.error("'" + trimmed + "' is not a task id: " + TaskIds.rule());
                }
                if (trimmed.equalsIgnoreCase(draft.id)) {
                    throw dependencies.error("task " + draft.id + " depends on itself");
                }
                draft.dependencies.add(trimmed);
            }
        }
        return TraitInference.complete(draft.build());
    }

    /** Reads a trait the task states (the trait names are the keys) and records its line. */
    private static void ifPresent(Map<String, YamlValue> keys, String trait, TaskDraftBuilder draft,
            Consumer<YamlValue> reader) {
        YamlValue value = keys.get(trait);
        if (value != null) {
            reader.accept(value);
            draft.statedAt(trait, "line " + value.line());
        }
    }

    private static <T> T named(YamlValue value, String what, Function<String, Optional<T>> lookup,
            List<String> names) {
        String written = value.asString();
        return lookup.apply(Skills.normalize(written)).orElseThrow(() -> value.error("unknown " + what + " '"
                + written + "'; one of " + String.join(", ", names)));
    }

    private static String nonBlank(YamlValue value) {
        String text = value.asString().strip();
        if (text.isEmpty()) {
            throw value.error("must not be empty");
        }
        return text;
    }

    private static String text(YamlValue value) {
        if (value == null) {
            return null;
        }
        String text = value.asString().strip();
        return text.isEmpty() ? null : text;
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }
}
