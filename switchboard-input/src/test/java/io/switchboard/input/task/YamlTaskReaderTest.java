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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class YamlTaskReaderTest {

    @Test
    void readsOneYamlTask() {
        Task task = readOne("yaml/TASK-031-flaky-retry.yaml");

        assertThat(task.id()).isEqualTo("TASK-031");
        assertThat(task.title()).isEqualTo("Fix the flaky retry test");
        assertThat(task.prompt()).isEqualTo("RetryPolicyTest.backsOff fails about one run in twenty on CI.\n"
                + "Find the race and fix it without adding sleeps.\n");
        assertThat(task.source()).isEqualTo(new TaskSource("tasks/yaml/TASK-031-flaky-retry.yaml", 2));
        assertThat(task.draft().priority()).isEqualTo("P2");
        assertThat(task.draft().tags()).containsExactly("tests", "flaky");
        assertThat(task.files()).containsExactly("core/src/test/java/io/example/RetryPolicyTest.java");
        assertThat(task.draft().verify()).isEqualTo("./mvnw -q -pl core test");
        assertThat(task.draft().sprint()).isNull();
        assertThat(task.traits().type()).isEqualTo(TaskType.FIX);
        assertThat(task.traits().complexity()).isEqualTo(40);
        assertThat(task.traits().provenance())
                .containsEntry("complexity", "stated (line 7)")
                .containsEntry("type", "heuristic: title verb 'fix'");
    }

    @Test
    void readsATasksList() {
        List<Task> tasks = TestFiles.read("yaml/sprint-4.yml");

        assertThat(tasks).extracting(Task::id).containsExactly("TASK-041", "TASK-042");
        Task first = tasks.get(0);
        assertThat(first.title()).isEqualTo("Investigate why the nightly export takes four hours and compare two batching…");
        assertThat(first.prompt()).startsWith("Investigate why").endsWith("batching strategies.");
        assertThat(first.draft().sprint()).isEqualTo("4");
        assertThat(first.traits().type()).isEqualTo(TaskType.RESEARCH);
        assertThat(first.source()).isEqualTo(new TaskSource("tasks/yaml/sprint-4.yml", 2));

        Task second = tasks.get(1);
        assertThat(second.prompt()).isEqualTo("Document the export format");
        assertThat(second.traits().type()).isEqualTo(TaskType.DOCS);
        assertThat(second.traits().workType()).isEqualTo("technical-writing");
        assertThat(second.traits().needsReasoning()).isFalse();
        assertThat(second.traits().scope()).isEqualTo(Scope.SINGLE_FILE);
        assertThat(second.draft().wave()).isEqualTo(2);
        assertThat(second.dependencies()).containsExactly("TASK-041");
        assertThat(second.traits().provenance())
                .containsEntry("type", "stated (line 7)")
                .containsEntry("work_type", "stated (line 8)")
                .containsEntry("needs_reasoning", "stated (line 9)")
                .containsEntry("scope", "stated (line 10)");
    }

    @Test
    void readsAJsonTask() {
        Task task = readOne("yaml/TASK-040-webhook-review.json");

        assertThat(task.id()).isEqualTo("TASK-040");
        assertThat(task.prompt()).isEqualTo("Look for missing signature checks and replay protection.");
        assertThat(task.traits().type()).isEqualTo(TaskType.REVIEW);
        assertThat(task.traits().risk()).isEqualTo(Risk.HIGH);
        assertThat(task.traits().estimatedTokens()).isEqualTo(30_000);
        assertThat(task.traits().needsReasoning()).isTrue();
        assertThat(task.dependencies()).containsExactly("TASK-039");
        assertThat(task.traits().provenance())
                .containsEntry("type", "stated (line 5)")
                .containsEntry("risk", "stated (line 6)")
                .containsEntry("estimated_tokens", "stated (line 7)");
    }

    @Test
    void anUnknownYamlKeyIsAnErrorNamingKeyAndLine() {
        InputException error = failureOf(() -> readOne("broken/unknown-key.yaml"));

        assertThat(error.line()).isEqualTo(3);
        assertThat(error.key()).isEqualTo("complexty");
        assertThat(error.getMessage()).startsWith("tasks/broken/unknown-key.yaml:3: complexty: unknown key "
                + "'complexty' (did you mean 'complexity'?); allowed here: complexity, dependencies, description,");
    }

    @Test
    void anUnknownJsonKeyIsAnErrorNamingKeyAndLine() {
        InputException error = failureOf(() -> readOne("broken/unknown-key.json"));

        assertThat(error.getMessage()).startsWith("tasks/broken/unknown-key.json:4: priorty: unknown key "
                + "'priorty' (did you mean 'priority'?)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            empty file               | ''                                                     | t.yaml: the file is empty; expected a task (id, title, prompt, …) or a 'tasks:' list
            a list at the top        | - id: T-1                                              | t.yaml:1: expected a task (id, title, prompt, …) or a 'tasks:' list, found a list
            no id                    | title: Add it                                          | t.yaml:1: a task needs an id
            id with a space          | id: T 1\\ntitle: Add it                                | t.yaml:1: id: 'T 1' is not a task id: an id is letters, digits, '.', '_' and '-', starting with a letter or digit, at most 100 characters
            neither title nor prompt | id: T-1\\nsprint: 3                                    | t.yaml:1: task T-1 needs a title or a prompt
            prompt and description   | id: T-1\\nprompt: a\\ndescription: b                   | t.yaml:3: description: give either prompt or description, not both
            complexity 140           | id: T-1\\ntitle: Add\\ncomplexity: 140                 | t.yaml:3: complexity: expected a whole number from 0 to 100, found 140
            complexity a word        | id: T-1\\ntitle: Add\\ncomplexity: high                | t.yaml:3: complexity: expected a whole number, found the text 'high'
            unknown type             | id: T-1\\ntitle: Add\\ntype: coding                    | t.yaml:3: type: unknown type 'coding'; one of design, implement, fix, refactor, review, test, docs, deploy, research, general
            unknown scope            | id: T-1\\ntitle: Add\\nscope: repo                     | t.yaml:3: scope: unknown scope 'repo'; one of unknown, single-file, module, multi-module
            negative tokens          | id: T-1\\ntitle: Add\\nestimated_tokens: -5            | t.yaml:3: estimated_tokens: expected zero or more tokens, found -5
            boolean as text          | id: T-1\\ntitle: Add\\nneeds_reasoning: maybe          | t.yaml:3: needs_reasoning: expected true or false, found the text 'maybe'
            tags as a mapping        | id: T-1\\ntitle: Add\\ntags: {a: b}                    | t.yaml:3: tags: expected a list, found a mapping
            depends on itself        | id: T-1\\ntitle: Add\\ndependencies: [T-0, t-1]        | t.yaml:3: dependencies: task T-1 depends on itself
            empty tasks list         | tasks: []                                              | t.yaml:1: tasks: the list of tasks is empty
            tasks and another key    | tasks:\\n  - id: T-1\\n    title: A\\nplan: p          | t.yaml:4: plan: unknown key 'plan'; allowed here: tasks
            same id twice            | tasks:\\n  - {id: T-1, title: A}\\n  - {id: t-1, title: B} | t.yaml:3: tasks[1].id: task id 't-1' is already used by the task on line 2
            not YAML                 | id: [T-1                                               | t.yaml:1: not valid YAML
            """)
    void refusesWhatItCannotReadWithFileAndLine(String title, String text, String expected) {
        InputException error = failureOf(() -> YamlTaskReader.read("t.yaml", text.replace("\\n", "\n")));

        assertThat(error.getMessage()).startsWith(expected);
    }
}
