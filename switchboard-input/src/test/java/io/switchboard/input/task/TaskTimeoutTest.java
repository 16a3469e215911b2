package io.switchboard.input.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.core.task.Task;
import io.switchboard.input.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A task file may set its attempts' wall-clock and idle-output limits, in every format, with the duration syntax of
 * {@code switchboard.yaml}; a bad limit is an error naming the file, line and key.
 */
class TaskTimeoutTest {
    @TempDir
    Path dir;

    @Test
    void aMarkdownTaskStatesItsLimitsInItsMetadata() throws IOException {
        Task task = readOne("TASK-3.md", """
                # TASK-3: Add the parser

                ## Metadata
                - **ID**: TASK-3
                - **Timeout**: 45m
                - **Idle timeout**: `90s`
                """);

        assertThat(task.draft().timeout()).isEqualTo(Duration.ofMinutes(45));
        assertThat(task.draft().idleTimeout()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void theMetadataKeysIgnoreCaseAndSeparatorsAndAnEmptyValueIsNotStated() throws IOException {
        Task task = readOne("TASK-3.md", """
                # TASK-3: Add the parser

                ## Metadata
                - timeout: 2h
                - **IDLE_TIMEOUT**:
                """);

        assertThat(task.draft().timeout()).isEqualTo(Duration.ofHours(2));
        assertThat(task.draft().idleTimeout()).isNull();
    }

    @Test
    void aPlanFileBlockStatesItsLimitsInElementsAndOnlyThatBlockHasThem() throws IOException {
        List<Task> tasks = TaskFiles.read(write("plan.md", """
                ---
                phase: 01
                ---
                <task type="auto">
                  <name>Add the parser</name>
                  <timeout>2h</timeout>
                  <idle_timeout>PT5M</idle_timeout>
                  <action>Write it.</action>
                </task>
                <task type="auto">
                  <name>Test the parser</name>
                </task>
                """), "plan.md");

        assertThat(tasks.get(0).draft().timeout()).isEqualTo(Duration.ofHours(2));
        assertThat(tasks.get(0).draft().idleTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(tasks.get(1).draft().timeout()).isNull();
        assertThat(tasks.get(1).draft().idleTimeout()).isNull();
    }

    @Test
    void aYamlOrJsonTaskStatesItsLimitsAsKeys() throws IOException {
        Task yaml = readOne("task.yaml", """
                id: T-9
                title: Add the parser
                timeout: 1d
                idle_timeout: 500ms
                """);
        Task json = readOne("task.json", """
                {"id": "T-9", "title": "Add the parser", "timeout": "7 days", "idle_timeout": null}
                """);

        assertThat(yaml.draft().timeout()).isEqualTo(Duration.ofDays(1));
        assertThat(yaml.draft().idleTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(json.draft().timeout()).isEqualTo(Duration.ofDays(7));
        assertThat(json.draft().idleTimeout()).isNull();
    }

    @Test
    void aTaskThatStatesNoLimitsLeavesThemToTheRunTheAgentAndTheDefaults() throws IOException {
        Task task = readOne("task.yaml", """
                id: T-9
                title: Add the parser
                """);

        assertThat(task.draft().timeout()).isNull();
        assertThat(task.draft().idleTimeout()).isNull();
    }

    /** Every format, both keys, every kind of bad value: the same message, at the key's own line. */
    static List<Arguments> badLimits() {
        List<String[]> values = List.of(
                new String[] {"0s", "must be more than zero, was 0s"},
                new String[] {"PT-5M", "must be more than zero, was PT-5M"},
                new String[] {"-5m", "expected a duration such as 30s, 15m, 4h or 14d, found '-5m'"},
                new String[] {"soon", "expected a duration such as 30s, 15m, 4h or 14d, found 'soon'"},
                new String[] {"30", "expected a duration such as 30s, 15m, 4h or 14d, found '30'"},
                new String[] {"8d", "is beyond the longest allowed limit (7 days), was 8d"});
        List<Arguments> cases = new ArrayList<>();
        for (String[] value : values) {
            cases.add(Arguments.of("TASK-3.md", "# TASK-3: Add\n\n## Metadata\n- **Timeout**: " + value[0] + "\n",
                    "TASK-3.md:4: Timeout: " + value[1]));
            cases.add(Arguments.of("TASK-3.md", "# TASK-3: Add\n\n## Metadata\n- **Idle timeout**: " + value[0]
                    + "\n", "TASK-3.md:4: Idle timeout: " + value[1]));
            cases.add(Arguments.of("plan.md", "---\nphase: 01\n---\n<task type=\"auto\">\n  <name>Add</name>\n"
                    + "  <timeout>" + value[0] + "</timeout>\n</task>\n", "plan.md:6: timeout: " + value[1]));
            cases.add(Arguments.of("plan.md", "---\nphase: 01\n---\n<task type=\"auto\">\n  <name>Add</name>\n"
                    + "  <idle_timeout>" + value[0] + "</idle_timeout>\n</task>\n",
                    "plan.md:6: idle_timeout: " + value[1]));
            cases.add(Arguments.of("task.yaml", "id: T-9\ntitle: Add\ntimeout: " + value[0] + "\n",
                    "task.yaml:3: timeout: " + value[1]));
            cases.add(Arguments.of("task.yaml", "tasks:\n  - id: T-9\n    title: Add\n    idle_timeout: " + value[0]
                    + "\n", "task.yaml:4: tasks[0].idle_timeout: " + value[1]));
        }
        return cases;
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("badLimits")
    void aBadLimitIsAnErrorNamingTheFileLineAndKey(String name, String text, String message) throws IOException {
        Path file = write(name, text);

        assertThatThrownBy(() -> TaskFiles.read(file, name)).isInstanceOf(InputException.class).hasMessage(message);
    }

    @Test
    void anEmptyTimeoutElementIsAnErrorRatherThanNoLimit() throws IOException {
        Path plan = write("plan.md", """
                ---
                phase: 01
                ---
                <task type="auto">
                  <name>Add the parser</name>
                  <timeout> </timeout>
                </task>
                """);

        assertThatThrownBy(() -> TaskFiles.read(plan, "plan.md")).isInstanceOf(InputException.class)
                .hasMessage("plan.md:6: timeout: expected a duration such as 30s, 15m, 4h or 14d, found ''");
    }

    private Task readOne(String name, String text) throws IOException {
        List<Task> tasks = TaskFiles.read(write(name, text), name);
        assertThat(tasks).hasSize(1);
        return tasks.getFirst();
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }
}
