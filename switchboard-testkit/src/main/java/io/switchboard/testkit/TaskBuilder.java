package io.switchboard.testkit;

import io.switchboard.core.agent.Skills;
import io.switchboard.core.task.Risk;
import io.switchboard.core.task.Scope;
import io.switchboard.core.task.Task;
import io.switchboard.core.task.TaskDraft;
import io.switchboard.core.task.TaskSource;
import io.switchboard.core.task.TaskTraits;
import io.switchboard.core.task.TaskType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
    private String priority;
    private String plan;
    private String sprint;
    private Integer wave;
    private String status;
    private String verify;
    private Duration timeout;
    private Duration idleTimeout;
    private final Map<String, String> statedAt = new LinkedHashMap<>();
    private final Map<String, String> provenance = new LinkedHashMap<>(
            Map.of("type", "stated by test", "work_type", "stated by test"));
    private TaskSource source = new TaskSource("test", 0);

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

    public TaskBuilder withPriority(String value) {
        priority = value;
        return this;
    }

    /** Where a plan file puts the task: the plan, its sprint and the wave within it. */
    public TaskBuilder inPlan(String planName, String sprintName, int waveNumber) {
        plan = planName;
        sprint = sprintName;
        wave = waveNumber;
        return this;
    }

    /** The status its source gives it (a plan file's {@code todo}, {@code in progress} …). */
    public TaskBuilder withSourceStatus(String value) {
        status = value;
        return this;
    }

    public TaskBuilder verifiedBy(String command) {
        verify = command;
        return this;
    }

    /** The wall-clock limit of each attempt, as a task file's {@code Timeout} states it. */
    public TaskBuilder timingOutAfter(Duration limit) {
        timeout = limit;
        return this;
    }

    /** The idle-output limit of each attempt, as a task file's {@code Idle timeout} states it. */
    public TaskBuilder idleTimingOutAfter(Duration limit) {
        idleTimeout = limit;
        return this;
    }

    /** Where the source states a trait, and the provenance that gives it. */
    public TaskBuilder statedAt(String trait, String where) {
        statedAt.put(trait, where);
        provenance.put(trait, "stated (" + where + ")");
        return this;
    }

    public TaskBuilder from(String location, int line) {
        source = new TaskSource(location, line);
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
                estimatedTokens, needsReasoning, needsIteration, priority, tags, plan, sprint, status, wave, pool,
                dependencies, files, verify, timeout, idleTimeout, statedAt, source);
        TaskTraits traits = new TaskTraits(type, resolvedWorkType, complexity, scope, risk, estimatedTokens,
                needsReasoning, needsIteration, tags, List.copyOf(skills), provenance);
        return new Task(draft, traits);
    }
}
