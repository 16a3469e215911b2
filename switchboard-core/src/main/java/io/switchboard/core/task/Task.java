package io.switchboard.core.task;

import java.util.List;
import java.util.Objects;

/**
 * One unit of work, read from any source (markdown task file, plan file, YAML or JSON, {@code --prompt})
 * into this one shape, with every trait resolved.
 */
public record Task(TaskDraft draft, TaskTraits traits) {

    public Task {
        Objects.requireNonNull(draft, "draft");
        Objects.requireNonNull(traits, "traits");
    }

    public String id() {
        return draft.id();
    }

    public String title() {
        return draft.title();
    }

    public String prompt() {
        return draft.prompt();
    }

    /** The pool the task asks for, or {@code null} for any pool. */
    public String pool() {
        return draft.pool();
    }

    public List<String> dependencies() {
        return draft.dependencies();
    }

    public List<String> files() {
        return draft.files();
    }

    public TaskSource source() {
        return draft.source();
    }
}
