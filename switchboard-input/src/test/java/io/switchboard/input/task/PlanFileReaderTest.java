package io.switchboard.input.task;

import static io.switchboard.input.task.TestFiles.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.task.Scope;
import io.switchboard.core.task.Task;
import io.switchboard.core.task.TaskSource;
import io.switchboard.core.task.TaskType;
import io.switchboard.input.InputException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlanFileReaderTest {
    private static final String PLAN = "plan/01-api-02-PLAN.md";

    @Test
    void eachBlockIsATaskInOrder() {
        List<Task> tasks = TestFiles.read(PLAN);

        assertThat(tasks).extracting(Task::id).containsExactly("01-api-02-1", "01-api-02-2", "api-limiter-wire");
        assertThat(tasks).extracting(Task::title).containsExactly("Task 1: Add the token bucket",
                "Task 2: Cover refill and bursts with tests", "Task 3: Wire the limiter into the server");
        assertThat(tasks).extracting(Task::source).containsExactly(
                new TaskSource("tasks/" + PLAN, 22), new TaskSource("tasks/" + PLAN, 30),
                new TaskSource("tasks/" + PLAN, 43));
    }

    @Test
    void eachTaskDependsOnThePreviousOneAndTheFirstOnThePlansDependencies() {
        List<Task> tasks = TestFiles.read(PLAN);

        assertThat(tasks).extracting(Task::dependencies).containsExactly(
                List.of("01-api-01"), List.of("01-api-02-1"), List.of("01-api-02-2"));
    }

    @Test
    void planWaveFilesAndVerifyComeFromFrontMatterAndBlocks() {
        List<Task> tasks = TestFiles.read(PLAN);

        assertThat(tasks).allSatisfy(task -> {
            assertThat(task.draft().plan()).isEqualTo("01-api-02");
            assertThat(task.draft().wave()).isEqualTo(2);
            // The phase groups the plan files of one phase, as a sprint groups task files.
            assertThat(task.draft().sprint()).isEqualTo("01-api");
        });
        assertThat(tasks.get(0).files()).containsExactly("api/src/main/java/com/example/api/RateLimiter.java");
        assertThat(tasks.get(1).files()).containsExactly("api/src/test/java/com/example/api/RateLimiterTest.java");
        assertThat(tasks.get(2).files()).containsExactly("api/src/main/java/com/example/api/ApiServer.java",
                "config/src/main/resources/defaults.yaml");
        assertThat(tasks).extracting(task -> task.draft().verify()).containsExactly("./mvnw -q -pl api test",
                "./mvnw -q -pl api test -Dtest=RateLimiterTest", "./mvnw -q verify");
        assertThat(tasks.get(1).draft().tags()).containsExactly("tdd");
        assertThat(tasks.get(0).draft().tags()).isEmpty();
    }

    @Test
    void traitsAreInferredFromEachBlock() {
        List<Task> tasks = TestFiles.read(PLAN);

        assertThat(tasks).extracting(task -> task.traits().type())
                .containsExactly(TaskType.IMPLEMENT, TaskType.TEST, TaskType.IMPLEMENT);
        assertThat(tasks.get(0).traits().provenance()).containsEntry("type", "heuristic: title verb 'add'");
        assertThat(tasks.get(1).traits().provenance()).containsEntry("type", "heuristic: title verb 'cover'");
        assertThat(tasks.get(2).traits().scope()).isEqualTo(Scope.MULTI_MODULE);
        assertThat(tasks.get(0).traits().scope()).isEqualTo(Scope.SINGLE_FILE);
    }

    @Test
    void thePromptIsThePlansObjectiveAndTheBlockAsWritten() {
        Task first = TestFiles.read(PLAN).get(0);

        assertThat(first.prompt()).isEqualTo("""
                <objective>
                Protect the public API from request bursts.
                </objective>

                <task type="auto">
                  <name>Task 1: Add the token bucket</name>
                  <files>api/src/main/java/com/example/api/RateLimiter.java</files>
                  <action>Create RateLimiter holding a Map<String, Bucket> keyed by API key; refill lazily when a < b.</action>
                  <verify>./mvnw -q -pl api test</verify>
                  <done>tryAcquire returns false once a key's bucket is empty.</done>
                </task>""");
    }

    @Test
    void aBlockWithoutFilesHasThePlansFilesModified() {
        List<Task> tasks = PlanFileReader.read("p.md", """
                ---
                plan: p
                files_modified: [docs/guide.md, " README.md "]
                ---
                <task type="auto">
                  <name>Write the guide</name>
                  <action>Write it.</action>
                </task>
                <task type="auto">
                  <name>Fix the parser</name>
                  <files>src/Parser.java</files>
                  <action>Fix it.</action>
                </task>
                """, "p");

        assertThat(tasks.get(0).files()).containsExactly("docs/guide.md", "README.md");
        assertThat(tasks.get(1).files()).containsExactly("src/Parser.java");
    }

    @Test
    void unclosedFrontMatterIsAnErrorOnLineOne() {
        InputException error = failureOf(() -> TestFiles.read("broken/plan-unclosed-front-matter.md"));

        assertThat(error.getMessage()).isEqualTo("tasks/broken/plan-unclosed-front-matter.md:1: the front matter "
                + "opened on line 1 is never closed; end it with a '---' line");
    }

    @Test
    void aBlockWithoutANameIsAnErrorOnTheBlocksLine() {
        InputException error = failureOf(() -> TestFiles.read("broken/plan-block-without-name.md"));

        assertThat(error.getMessage()).isEqualTo("tasks/broken/plan-block-without-name.md:11: the <task> on "
                + "line 11 has no <name>");
    }

    @Test
    void anUnclosedElementIsAnErrorOnItsLine() {
        InputException error = failureOf(() -> TestFiles.read("broken/plan-unclosed-action.md"));

        assertThat(error.getMessage()).isEqualTo("tasks/broken/plan-unclosed-action.md:8: <action> opened on "
                + "line 8 is never closed with </action>");
    }

    @Test
    void anUnknownFrontMatterKeyIsAnErrorNamingKeyAndLine() {
        InputException error = failureOf(() -> TestFiles.read("broken/plan-unknown-key.md"));

        assertThat(error.line()).isEqualTo(4);
        assertThat(error.key()).isEqualTo("waves");
        assertThat(error.getMessage()).startsWith("tasks/broken/plan-unknown-key.md:4: waves: unknown key 'waves' "
                + "(did you mean 'wave'?)");
    }

    @Test
    void aCheckpointBlockIsRefusedRatherThanSkipped() {
        InputException error = failureOf(() -> TestFiles.read("broken/plan-checkpoint.md"));

        assertThat(error.getMessage()).isEqualTo("tasks/broken/plan-checkpoint.md:11: a <task "
                + "type=\"checkpoint:human-verify\"> needs a person; only type=\"auto\" tasks can be given to an agent "
                + "(remove the checkpoint or split the plan)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no front matter          | <task>\\n<name>A</name>\\n</task>                                 | p.md:1: a plan file starts with YAML front matter: a '---' line, the plan's keys, and another '---' line
            no blocks                | ---\\nplan: 1\\n---\\nJust prose.                                 | p.md: no <task type="auto"> blocks after the front matter; a plan file holds at least one
            task never closed        | ---\\nplan: 1\\n---\\n<task>\\n<name>A</name>\\n                   | p.md:4: <task> opened on line 4 is never closed with </task>
            task closed by next task | ---\\nplan: 1\\n---\\n<task>\\n<name>A</name>\\n<task>\\n</task>   | p.md:4: <task> opened on line 4 is not closed before the next <task> on line 6
            unknown element          | ---\\nplan: 1\\n---\\n<task>\\n<name>A</name>\\n<acton>x</acton>\\n</task> | p.md:6: unknown element <acton> in a task (did you mean 'action'?); known: name, files, action, behavior, implementation, verify, timeout, idle_timeout, done
            stray text               | ---\\nplan: 1\\n---\\n<task>\\n<name>A</name>\\nDo it.\\n</task>   | p.md:6: unexpected text 'Do it.' in the <task> opened on line 4; put instructions inside <action>
            element twice            | ---\\nplan: 1\\n---\\n<task>\\n<name>A</name>\\n<name>B</name>\\n</task> | p.md:6: a second <name> in the task opened on line 4
            empty name               | ---\\nplan: 1\\n---\\n<task>\\n<name> </name>\\n</task>           | p.md:4: the <task> on line 4 has an empty <name>
            unknown attribute        | ---\\nplan: 1\\n---\\n<task type="auto" priority="high">\\n<name>A</name>\\n</task> | p.md:4: unknown attribute 'priority' on <task>; known: id, tdd, type
            malformed attributes     | ---\\nplan: 1\\n---\\n<task type=auto>\\n<name>A</name>\\n</task> | p.md:4: cannot read the <task> attributes 'type=auto'; write them as name="value"
            bad tdd                  | ---\\nplan: 1\\n---\\n<task tdd="yes">\\n<name>A</name>\\n</task> | p.md:4: tdd="yes" must be "true" or "false"
            bad id attribute         | ---\\nplan: 1\\n---\\n<task id="a b">\\n<name>A</name>\\n</task>  | p.md:4: id="a b" is not a task id: an id is letters, digits, '.', '_' and '-', starting with a letter or digit, at most 100 characters
            same id twice            | ---\\nplan: 1\\n---\\n<task id="x-1">\\n<name>A</name>\\n</task>\\n<task id="X-1">\\n<name>B</name>\\n</task> | p.md:7: task id 'X-1' is already used by the task on line 4
            plan name with a space   | ---\\nphase: api work\\n---\\n<task>\\n<name>A</name>\\n</task>   | p.md:2: the plan name 'api work' (from phase and plan, or the file name) makes the task ids, and an id is letters, digits, '.', '_' and '-', starting with a letter or digit, at most 100 characters
            wave not a number        | ---\\nwave: soon\\n---\\n<task>\\n<name>A</name>\\n</task>        | p.md:2: wave: expected a whole number, found the text 'soon'
            depends_on not a list    | ---\\ndepends_on: {a: 1}\\n---\\n<task>\\n<name>A</name>\\n</task> | p.md:2: depends_on: expected a list, found a mapping
            front matter not YAML    | ---\\nplan: [1\\n---\\n<task>\\n<name>A</name>\\n</task>          | p.md:2: not valid YAML: expected ',' or ']'
            """)
    void refusesWhatItCannotReadWithFileAndLine(String title, String text, String expected) {
        InputException error = failureOf(() -> PlanFileReader.read("p.md", text.replace("\\n", "\n"), "p"));

        assertThat(error.getMessage()).startsWith(expected);
    }

    @Test
    void withoutPhaseOrPlanTheFileNameNamesThePlan() {
        List<Task> tasks = PlanFileReader.read("p.md", """
                ---
                ---
                <task><name>Investigate slow exports</name></task>
                <task><name>Fix the slow export</name></task>
                """, "export-plan");

        assertThat(tasks).extracting(Task::id).containsExactly("export-plan-1", "export-plan-2");
        assertThat(tasks.get(0).draft().plan()).isEqualTo("export-plan");
        assertThat(tasks.get(0).dependencies()).isEmpty();
        assertThat(tasks.get(0).prompt()).isEqualTo("<task><name>Investigate slow exports</name></task>");
        assertThat(tasks).extracting(task -> task.traits().type()).containsExactly(TaskType.RESEARCH, TaskType.FIX);
    }

    @Test
    void planLevelPoolPriorityAndTagsApplyToEveryTask() {
        List<Task> tasks = PlanFileReader.read("p.md", """
                ---
                plan: ops-7
                pool: infra
                priority: P1
                tags: [terraform]
                depends_on: ops-6
                ...
                <task type="auto"><name>Provision the staging cluster</name></task>
                """, "p");

        Task task = tasks.get(0);
        assertThat(task.id()).isEqualTo("ops-7-1");
        assertThat(task.pool()).isEqualTo("infra");
        assertThat(task.draft().priority()).isEqualTo("P1");
        assertThat(task.draft().tags()).containsExactly("terraform");
        assertThat(task.dependencies()).containsExactly("ops-6");
        assertThat(task.traits().type()).isEqualTo(TaskType.DEPLOY);
        assertThat(task.source()).isEqualTo(new TaskSource("p.md", 8));
    }
}
