package io.switchboard.testkit;

import io.switchboard.core.agent.Skills;
import io.switchboard.core.task.Risk;
import io.switchboard.core.task.Scope;
import io.switchboard.core.task.Task;
import io.switchboard.core.task.TaskDraft;
import io.switchboard.core.task.TaskSource;
import io.switchboard.core.task.TaskTraits;
import io.switchboard.core.task.TaskType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Builds tasks with explicit traits (no inference), saying only what matters:
 * {@code aTask().ofType(REVIEW).withComplexity(80)}.
 */
public final class TaskBuilder {
    private static int sequence;

    private String id;
    private String title = "A task";
    private String prompt = "Do the thing.";
    private TaskType type = TaskType.IMPLEMENT;
    private String workType;
    private int complexity = 50;
    private Scope scope = Scope.SINGLE_FILE;
    private Risk risk = Risk.MEDIUM;
    private long estimatedTokens = 10_000;
    private boolean needsReasoning;
    private boolean needsIteration;
    private final List<String> tags = new ArrayList<>();
    private final List<String> extraSkills = new ArrayList<>();
    private String pool;
    private final List<String> dependencies = new ArrayList<>();
    private final List<String> files = new ArrayList<>();

    private TaskBuilder() {
        this.id = "TASK-" + String.format("%03d", nextSequence());
    }

    private static synchronized int nextSequence() {
        return ++sequence;
    }

    public static TaskBuilder aTask() {
        return new TaskBuilder();
    }

    public TaskBuilder withId(String value) {
        id = value;
        return this;
    }

    public TaskBuilder titled(String value) {
        title = value;
        return this;
    }

    public TaskBuilder withPrompt(String value) {
        prompt = value;
        return this;
    }

    public TaskBuilder ofType(TaskType value) {
        type = value;
        return this;
    }

    public TaskBuilder ofWorkType(String value) {
        workType = value;
        return this;
    }

    public TaskBuilder withComplexity(int value) {
        complexity = value;
        return this;
    }

    public TaskBuilder withScope(Scope value) {
        scope = value;
        return this;
    }

    public TaskBuilder withRisk(Risk value) {
        risk = value;
        return this;
    }

    public TaskBuilder withEstimatedTokens(long value) {
        estimatedTokens = value;
        return this;
    }

    public TaskBuilder needingReasoning() {
        needsReasoning = true;
        return this;
    }

    public TaskBuilder needingIteration() {
        needsIteration = true;
        return this;
    }

    public TaskBuilder tagged(String... values) {
        tags.addAll(List.of(values));
        return this;
    }

    /** Skills the strength factor looks for beyond the work type and type. */
    public TaskBuilder needingSkills(String... values) {
        extraSkills.addAll(List.of(values));
        return this;
    }

    public TaskBuilder inPool(String value) {
        pool = value;
        return this;
    }

    public TaskBuilder dependingOn(String... ids) {
        dependencies.addAll(List.of(ids));
        return this;
    }

    public TaskBuilder touching(String... paths) {
        files.addAll(List.of(paths));
        return this;
    }

    public Task build() {
        String resolvedWorkType = workType == null ? type.configName() : workType;
        LinkedHashSet<String> skills = new LinkedHashSet<>();
        skills.add(Skills.normalize(resolvedWorkType));
        skills.add(type.configName());
        if (needsReasoning) {
            skills.add("reasoning");
        }
        if (needsIteration) {
            skills.add("speed");
        }
        extraSkills.forEach(skill -> skills.add(Skills.normalize(skill)));
        TaskDraft draft = new TaskDraft(id, title, prompt, type, resolvedWorkType, complexity, scope, risk,
                estimatedTokens, needsReasoning, needsIteration, null, tags, null, null, null, null, pool,
                dependencies, files, null, Map.of(), new TaskSource("test", 0));
        Map<String, String> provenance = Map.of("type", "stated by test", "work_type", "stated by test");
        TaskTraits traits = new TaskTraits(type, resolvedWorkType, complexity, scope, risk, estimatedTokens,
                needsReasoning, needsIteration, tags, List.copyOf(skills), provenance);
        return new Task(draft, traits);
    }
}
