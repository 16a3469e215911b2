package io.switchboard.input.task;

import static io.switchboard.input.task.TestFiles.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.task.Task;
import io.switchboard.core.task.TaskSource;
import io.switchboard.core.task.TaskType;
import io.switchboard.input.InputException;
import org.junit.jupiter.api.Test;

class PromptTaskTest {

    @Test
    void thePromptBecomesATaskFromTheCommandLine() {
        Task task = PromptTask.from("Fix typo in the README\n\nIt says 'recieve'.");

        assertThat(task.id()).matches("prompt-[0-9a-f]{10}");
        assertThat(task.title()).isEqualTo("Fix typo in the README");
        assertThat(task.prompt()).isEqualTo("Fix typo in the README\n\nIt says 'recieve'.");
        assertThat(task.source()).isEqualTo(TaskSource.COMMAND_LINE);
        assertThat(task.traits().type()).isEqualTo(TaskType.FIX);
        assertThat(task.traits().provenance()).containsEntry("type", "heuristic: title verb 'fix'");
    }

    @Test
    void theIdIsStableForTheSameTextAndDiffersForAnother() {
        assertThat(PromptTask.from("Add a health endpoint").id())
                .isEqualTo(PromptTask.from("Add a health endpoint").id())
                .isEqualTo(PromptTask.from("  Add a health endpoint\n").id())
                .isEqualTo("prompt-ca062c8a6c")
                .isNotEqualTo(PromptTask.from("Add a readiness endpoint").id());
    }

    @Test
    void aLongFirstLineIsCutAtAWord() {
        String text = "Investigate why the nightly export of all customer orders takes four hours instead of twenty "
                + "minutes";

        Task task = PromptTask.from("\n  " + text + "\nMore detail.");

        assertThat(task.title()).isEqualTo("Investigate why the nightly export of all customer orders takes four "
                + "hours…");
        assertThat(task.title().length()).isLessThanOrEqualTo(Titles.MAX_LENGTH + 1);
    }

    @Test
    void aNulCharacterIsRefused() {
        InputException error = failureOf(() -> PromptTask.from("Fix the build\0 now"));

        assertThat(error.getMessage()).isEqualTo("--prompt: the prompt contains a NUL character (at character 14); "
                + "agents receive text, so remove it");
    }

    @Test
    void aBlankPromptIsRefused() {
        InputException error = failureOf(() -> PromptTask.from(" \n\t"));

        assertThat(error.getMessage()).isEqualTo("--prompt: the prompt is empty");
    }
}
