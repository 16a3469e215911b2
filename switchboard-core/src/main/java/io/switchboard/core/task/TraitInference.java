package io.switchboard.core.task;

/**
 * Fills in the traits a task's source does not state, by documented heuristics on whole words.
 * (Implementation pending.)
 */
public final class TraitInference {
    private TraitInference() {
    }

    public static Task complete(TaskDraft draft) {
        throw new UnsupportedOperationException("not yet");
    }
}
