package io.switchboard.core.task;

import static io.switchboard.core.Require.require;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A task exactly as its source states it, before traits are inferred. Every trait field is {@code null}
 * when the source does not state it; {@link TraitInference} fills those in and says how.
 *
 * @param prompt the text the agent receives
 * @param timeout the wall-clock limit of each attempt the source sets for this task, or {@code null}; a
 *     {@code --timeout} given for the run overrides it, and it overrides the agent's and the default
 * @param idleTimeout the idle-output limit of each attempt the source sets, or {@code null}; likewise
 * @param statedAt for each stated trait, where it was stated (for example {@code "Metadata, line 7"});
 *     keys are {@link TaskTraits} trait names
 */
public record TaskDraft(
        String id,
        String title,
        String prompt,
        TaskType type,
        String workType,
        Integer complexity,
        Scope scope,
        Risk risk,
        Long estimatedTokens,
        Boolean needsReasoning,
        Boolean needsIteration,
        String priority,
        List<String> tags,
        String plan,
        String sprint,
        String status,
        Integer wave,
        String pool,
        List<String> dependencies,
        List<String> files,
        String verify,
        Duration timeout,
        Duration idleTimeout,
        Map<String, String> statedAt,
        TaskSource source) {

    public TaskDraft {
        Objects.requireNonNull(id, "id");
        title = title == null ? "" : title;
        prompt = prompt == null ? "" : prompt;
        tags = tags == null ? List.of() : List.copyOf(tags);
        dependencies = dependencies == null ? List.of() : List.copyOf(dependencies);
        files = files == null ? List.of() : List.copyOf(files);
        require(timeout == null || timeout.isPositive(), "timeout must be more than zero, was %s", timeout);
        require(idleTimeout == null || idleTimeout.isPositive(), "idle timeout must be more than zero, was %s",
                idleTimeout);
        statedAt = statedAt == null ? Map.of() : Map.copyOf(statedAt);
        Objects.requireNonNull(source, "source");
    }

    /** A draft with only an id, a title and a prompt; everything else is left to inference. */
    public static TaskDraft of(String id, String title, String prompt, TaskSource source) {
        return new TaskDraft(id, title, prompt, null, null, null, null, null, null, null, null, null,
                List.of(), null, null, null, null, null, List.of(), List.of(), null, null, null, null, source);
    }
}
