package io.switchboard.input.task;

import static io.switchboard.input.task.TestFiles.failureOf;
import static io.switchboard.input.task.TestFiles.readOne;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.task.Risk;
import io.switchboard.core.task.Scope;
import io.switchboard.core.task.Task;
import io.switchboard.core.task.TaskSource;
import io.switchboard.core.task.TaskType;
import io.switchboard.input.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MarkdownTaskReaderTest {

    @Test
    void readsAFullTaskFile() {
        Task task = readOne("markdown/TASK-028-add-rate-limiter.md");

        assertThat(task.id()).isEqualTo("TASK-028");
        assertThat(task.title()).isEqualTo("Add a rate limiter to the public API");
        assertThat(task.source()).isEqualTo(new TaskSource("tasks/markdown/TASK-028-add-rate-limiter.md", 1));
        assertThat(task.draft().priority()).isEqualTo("High");
        assertThat(task.draft().status()).isEqualTo("Todo");
        assertThat(task.draft().tags()).containsExactly("api", "backend", "rate-limiting");
        assertThat(task.draft().plan()).isEqualTo("api-hardening");
        assertThat(task.draft().sprint()).isEqualTo("2024-S14");
        assertThat(task.pool()).isEqualTo("code");
        assertThat(task.dependencies()).containsExactly("TASK-012", "TASK-019");
        assertThat(task.files()).containsExactly(
                "api/src/main/java/com/example/api/RateLimiter.java",
                "api/src/main/java/com/example/api/ApiServer.java",
                "config/src/main/resources/defaults.yaml");
    }

    @Test
    void thePromptIsTheFileAsWrittenWithoutItsMetadata() {
        Task task = readOne("markdown/TASK-028-add-rate-limiter.md");

        assertThat(task.prompt())
                .startsWith("# TASK-028: Add a rate limiter to the public API\n\n## Description\nClients can send")
                .contains("# Example configuration; this heading-like line is code, not a section.\n"
                        + "## Neither is this one.\n")
                .contains("## Acceptance Criteria\n- [ ] A client over its limit gets 429")
                .contains("## Files to Create/Modify\n- `api/src/main/java/com/example/api/RateLimiter.java` - token")
                .endsWith("## Notes\nKeep the limiter free of clocks it reads itself; take an InstantSource.")
                .doesNotContain("## Metadata", "**Priority**", "2024-03-02");
    }

    @Test
    void statedTraitsSayWhichMetadataLineAndTheRestAreInferred() {
        Task task = readOne("markdown/TASK-028-add-rate-limiter.md");

        assertThat(task.traits().complexity()).isEqualTo(65);
        assertThat(task.traits().type()).isEqualTo(TaskType.IMPLEMENT);
        assertThat(task.traits().scope()).isEqualTo(Scope.MULTI_MODULE);
        assertThat(task.traits().risk()).isEqualTo(Risk.HIGH);
        assertThat(task.traits().needsIteration()).isTrue();
        assertThat(task.traits().needsReasoning()).isFalse();
        assertThat(task.traits().estimatedTokens()).isEqualTo(4_000 + task.prompt().length() / 4 + 3 * 2_000);
        assertThat(task.traits().neededSkills()).containsExactly("implement", "speed", "api", "backend",
                "rate-limiting");
        assertThat(task.traits().provenance())
                .containsEntry("complexity", "stated (Metadata, line 6)")
                .containsEntry("type", "heuristic: title verb 'add'")
                .containsEntry("scope", "heuristic: 3 files in 2 modules [api, config]")
                .containsEntry("risk", "heuristic: priority 'High'");
    }

    @Test
    void readsAMinimalTaskWithADashInItsHeading() {
        Task task = readOne("markdown/TASK-033-minimal.md");

        assertThat(task.id()).isEqualTo("TASK-033");
        assertThat(task.title()).isEqualTo("Fix typo in the login page");
        assertThat(task.prompt()).isEqualTo("# TASK-033 - Fix typo in the login page\n\n## Description\n"
                + "\"Pasword\" should read \"Password\".");
        assertThat(task.traits().type()).isEqualTo(TaskType.FIX);
        assertThat(task.traits().complexity()).isEqualTo(20);
        assertThat(task.traits().scope()).isEqualTo(Scope.UNKNOWN);
        // Whole words: "Pasword" is nothing, "Password" is a risky subject.
        assertThat(task.traits().provenance()).containsEntry("risk", "heuristic: word 'password'");
    }

    @Test
    void anUnknownMetadataKeyIsAnErrorWithItsLine() {
        InputException error = failureOf(() -> readOne("broken/unknown-metadata-key.md"));

        assertThat(error.file()).isEqualTo("tasks/broken/unknown-metadata-key.md");
        assertThat(error.line()).isEqualTo(5);
        assertThat(error.key()).isEqualTo("Priorty");
        assertThat(error.getMessage()).startsWith(
                "tasks/broken/unknown-metadata-key.md:5: Priorty: unknown metadata key (did you mean 'priority'?); "
                        + "known keys: complexity, dependencies, depends on, estimated tokens, id,");
    }

    @Test
    void aComplexityOutsideZeroToHundredIsAnErrorWithItsLine() {
        InputException error = failureOf(() -> readOne("broken/complexity-140.md"));

        assertThat(error.getMessage()).isEqualTo("tasks/broken/complexity-140.md:6: Complexity: "
                + "expected a whole number from 0 to 100, found '140'");
    }

    @Test
    void aHeadingWithoutAnIdIsAnErrorWithItsLine() {
        InputException error = failureOf(() -> readOne("broken/heading-without-id.md"));

        assertThat(error.getMessage()).isEqualTo("tasks/broken/heading-without-id.md:2: the heading "
                + "'# Add a rate limiter' has no task id; write it as '# TASK-028: Title' (the id contains a digit)");
    }

    @Test
    void bytesThatAreNotUtf8AreAnErrorWithTheirLine() {
        InputException error = failureOf(() -> readOne("broken/not-utf8.md"));

        assertThat(error.getMessage()).isEqualTo("tasks/broken/not-utf8.md:3: not UTF-8: invalid byte 0xE9 at "
                + "byte offset 35");
    }

    @Test
    void aPlanFileWithoutFrontMatterGetsAHint() {
        InputException error = failureOf(() -> readOne("broken/plan-without-front-matter.md"));

        assertThat(error.getMessage()).isEqualTo("tasks/broken/plan-without-front-matter.md:1: expected the task "
                + "heading '# TASK-028: Title' first, found '<task type=\"auto\">'; this looks like a plan file, "
                + "which must start with YAML front matter between '---' lines");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            empty file                  | ''                                                                            | t.md: the file is empty; a task file starts with '# TASK-028: Title'
            text before the heading     | Add a limiter\\n# T-1: Add                                                    | t.md:1: expected the task heading '# TASK-028: Title' first, found 'Add a limiter'
            heading without a title     | # TASK-1:\\n                                                                  | t.md:1: the heading names task TASK-1 but gives no title; write it as '# TASK-1: Title'
            id that is not an id        | # T/1: Add\\n                                                                 | t.md:1: 'T/1' is not a task id: an id is letters, digits, '.', '_' and '-', starting with a letter or digit, at most 100 characters
            second task heading         | # T-1: Add\\n\\n## Description\\nText\\n# T-2: More\\n                         | t.md:5: a second '#' heading '# T-2: More'; a task file holds one task (use '##' for sections)
            metadata id differs         | # T-1: Add\\n## Metadata\\n- **ID**: T-2\\n                                    | t.md:3: ID: 'T-2' differs from the heading's id 'T-1'
            key stated twice            | # T-1: Add\\n## Metadata\\n- **Priority**: High\\n- **priority**: Low\\n        | t.md:4: priority: stated twice (first on line 3)
            metadata line not an item   | # T-1: Add\\n## Metadata\\nPriority: High\\n                                   | t.md:3: expected a metadata item '- **Key**: value', found 'Priority: High'
            item without a colon        | # T-1: Add\\n## Metadata\\n- **Priority** High\\n                              | t.md:3: expected a metadata item '- **Key**: value', found '- **Priority** High'
            complexity not a number     | # T-1: Add\\n## Metadata\\n- **Complexity**: high\\n                           | t.md:3: Complexity: expected a whole number from 0 to 100, found 'high'
            unknown type                | # T-1: Add\\n## Metadata\\n- **Type**: coding\\n                               | t.md:3: Type: unknown type 'coding'; one of design, implement, fix, refactor, review, test, docs, deploy, research, general
            unknown risk                | # T-1: Add\\n## Metadata\\n- **Risk**: severe\\n                               | t.md:3: Risk: unknown risk 'severe'; one of low, medium, high
            tokens not a number         | # T-1: Add\\n## Metadata\\n- **Estimated Tokens**: lots\\n                     | t.md:3: Estimated Tokens: expected a number of tokens such as 12000, 12,000 or 12k, found 'lots'
            yes or no                   | # T-1: Add\\n## Metadata\\n- **Needs Reasoning**: maybe\\n                     | t.md:3: Needs Reasoning: expected yes or no, found 'maybe'
            misspelt data section       | # T-1: Add\\n\\n## Dependecies\\n- T-0\\n                                       | t.md:3: unknown section '## Dependecies' (did you mean 'dependencies'?); its contents would be read as plain text
            second metadata section     | # T-1: Add\\n## Metadata\\n## Metadata\\n                                      | t.md:3: a second '## Metadata' section; each task file has one
            dependency that is prose    | # T-1: Add\\n## Dependencies\\n- the store work\\n                             | t.md:3: expected a dependency to start with a task id such as TASK-012, found 'the store work'
            depends on itself           | # T-1: Add\\n## Dependencies\\n- T-1\\n                                        | t.md:1: task T-1 depends on itself
            """)
    void refusesWhatItCannotReadWithFileAndLine(String title, String text, String expected) {
        InputException error = failureOf(() -> MarkdownTaskReader.read("t.md", text.replace("\\n", "\n")));

        assertThat(error.getMessage()).isEqualTo(expected);
    }

    @Test
    void metadataKeysIgnoreCaseSpacingAndBoldStyle() {
        Task task = MarkdownTaskReader.read("t.md", """
                # T-7: Tidy the store

                ## Metadata
                - **work_type:** code-cleanup
                - Estimated-Tokens: 12k
                * **needs  reasoning**: yes
                + **NEEDS ITERATION**: No
                - **Type**: Refactor
                - **Scope**: single_file
                - **Risk**: `low`
                - **Wave**: 3
                - **Verify**: `./mvnw -q verify`
                - **Depends On**: T-5, T-6
                - **Sprint**:
                - **Owner**: dana
                <!-- created by the planning board -->
                """);

        assertThat(task.traits().workType()).isEqualTo("code-cleanup");
        assertThat(task.traits().estimatedTokens()).isEqualTo(12_000);
        assertThat(task.traits().needsReasoning()).isTrue();
        assertThat(task.traits().needsIteration()).isFalse();
        assertThat(task.traits().type()).isEqualTo(TaskType.REFACTOR);
        assertThat(task.traits().scope()).isEqualTo(Scope.SINGLE_FILE);
        assertThat(task.traits().risk()).isEqualTo(Risk.LOW);
        assertThat(task.draft().wave()).isEqualTo(3);
        assertThat(task.draft().verify()).isEqualTo("./mvnw -q verify");
        assertThat(task.dependencies()).containsExactly("T-5", "T-6");
        assertThat(task.draft().sprint()).isNull();
        assertThat(task.traits().provenance())
                .containsEntry("work_type", "stated (Metadata, line 4)")
                .containsEntry("estimated_tokens", "stated (Metadata, line 5)")
                .containsEntry("needs_reasoning", "stated (Metadata, line 6)")
                .containsEntry("needs_iteration", "stated (Metadata, line 7)")
                .containsEntry("type", "stated (Metadata, line 8)")
                .containsEntry("scope", "stated (Metadata, line 9)")
                .containsEntry("risk", "stated (Metadata, line 10)");
        assertThat(task.prompt()).isEqualTo("# T-7: Tidy the store");
    }

    @Test
    void headingsMayBracketTheIdAndComplexityMayBeOutOfAHundred() {
        Task task = MarkdownTaskReader.read("t.md", "# [OPS-12] Deploy the gateway\n## Metadata\n- **Complexity**: 30/100\n");

        assertThat(task.id()).isEqualTo("OPS-12");
        assertThat(task.title()).isEqualTo("Deploy the gateway");
        assertThat(task.traits().complexity()).isEqualTo(30);
    }

    @Test
    void dependencyAndFileListsAcceptTheUsualShapes() {
        Task task = MarkdownTaskReader.read("t.md", """
                # T-9: Add export

                ## Dependencies
                The store must exist first.
                - [x] **T-3**: the store
                1. setup-db
                - [T-4](T-4.md)
                - None

                ## Files to Modify
                ### New
                - **Create**: `core/Export.java`
                - core/ExportTest.java: tests
                * [ ] `docs/export.md` (new)
                ```
                - not/a/file.java
                ```
                - `core/Export.java` again
                """);

        assertThat(task.dependencies()).containsExactly("T-3", "setup-db", "T-4");
        assertThat(task.files()).containsExactly("core/Export.java", "core/ExportTest.java", "docs/export.md");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Notes", "Context", "Implementation Notes", "Deployment", "Testing", "Definition of Done",
            "Background", "Steps", "Design", "Risks", "References", "Out of Scope", "Summary", "Technical Details",
            "Objective", "Requirements", "Tasks", "Subtasks", "Rollback Plan"})
    void commonProseSectionsAreKeptForTheAgent(String section) {
        Task task = MarkdownTaskReader.read("t.md", "# T-1: Add export\n\n## " + section + "\nSome text.\n");

        assertThat(task.prompt()).isEqualTo("# T-1: Add export\n\n## " + section + "\nSome text.");
    }
}
