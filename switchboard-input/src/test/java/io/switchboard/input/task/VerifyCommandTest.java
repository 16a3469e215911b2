package io.switchboard.input.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.input.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A verify command is checked where it is written: never empty, never something only a shell could run. */
class VerifyCommandTest {
    @TempDir
    Path dir;

    @Test
    void anEmptyVerifyElementInAPlanFileIsAnErrorNamingItsLine() throws IOException {
        Path plan = write("plan.md", """
                ---
                phase: 01
                ---
                <task type="auto">
                  <name>Add the parser</name>
                  <verify>  </verify>
                </task>
                """);

        assertThatThrownBy(() -> TaskFiles.read(plan, "plan.md")).isInstanceOf(InputException.class)
                .hasMessage("plan.md:6: verify: the verify command is empty; write the command that checks the "
                        + "task (such as ./mvnw -q test), or leave it out");
    }

    @Test
    void aVerifyThatNeedsAShellIsAnErrorInAMarkdownTask() throws IOException {
        Path task = write("TASK-3.md", """
                # TASK-3: Add the parser

                ## Metadata
                - **ID**: TASK-3
                - **Verify**: make test | tee log
                """);

        assertThatThrownBy(() -> TaskFiles.read(task, "TASK-3.md")).isInstanceOf(InputException.class)
                .hasMessageStartingWith("TASK-3.md:5: verify: '|' in the command 'make test | tee log' needs a shell");
    }

    @Test
    void anEmptyVerifyInAYamlTaskIsAnErrorNamingItsLine() throws IOException {
        Path task = write("task.yaml", """
                id: T-9
                title: Add the parser
                verify: ""
                """);

        assertThatThrownBy(() -> TaskFiles.read(task, "task.yaml")).isInstanceOf(InputException.class)
                .hasMessageStartingWith("task.yaml:3: verify: the verify command is empty");
    }

    @Test
    void aQuotedVerifyCommandIsKeptAsWritten() throws IOException {
        Path task = write("task.yaml", """
                id: T-9
                title: Add the parser
                verify: grep -q "def parse" parser.py
                """);

        assertThat(TaskFiles.read(task, "task.yaml").getFirst().draft().verify())
                .isEqualTo("grep -q \"def parse\" parser.py");
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }
}
