package io.switchboard.input.task;

import io.switchboard.core.task.Risk;
import io.switchboard.core.task.Scope;
import io.switchboard.core.task.TaskDraft;
import io.switchboard.core.task.TaskSource;
import io.switchboard.core.task.TaskType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** Collects what a reader finds, field by field, and where each trait was stated. Not thread-safe. */
final class TaskDraftBuilder {
    String id;
    String title;
    String prompt;
    TaskType type;
    String workType;
    Integer complexity;
    Scope scope;
    Risk risk;
    Long estimatedTokens;
    Boolean needsReasoning;
    Boolean needsIteration;
    String priority;
    final List<String> tags = new ArrayList<>();
    String plan;
    String sprint;
    String status;
    Integer wave;
    String pool;
    final LinkedHashSet<String> dependencies = new LinkedHashSet<>();
    final LinkedHashSet<String> files = new LinkedHashSet<>();
    String verify;
    Duration timeout;
    Duration idleTimeout;
    private final Map<String, String> statedAt = new LinkedHashMap<>();
    private final TaskSource source;

    TaskDraftBuilder(TaskSource source) {
        this.source = source;
    }

    /** Records where a trait (one of {@code TaskTraits.TRAIT_NAMES}) was stated. */
    void statedAt(String trait, String where) {
        statedAt.put(trait, where);
    }

    TaskDraft build() {
        return new TaskDraft(id, title, prompt, type, workType, complexity, scope, risk, estimatedTokens,
                needsReasoning, needsIteration, priority, tags, plan, sprint, status, wave, pool,
                List.copyOf(dependencies), List.copyOf(files), verify, timeout, idleTimeout, statedAt, source);
    }
}
