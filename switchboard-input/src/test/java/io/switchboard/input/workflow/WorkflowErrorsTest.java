package io.switchboard.input.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.switchboard.input.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One bad workflow each, refused before any agent runs with one {@link InputException} naming the file, the line
 * of the offending step or key, and the key path.
 */
class WorkflowErrorsTest {
    private static final Set<String> AGENTS = Set.of("claude-code", "codex");
    private static final String FILE = "workflows/review.yaml";

    @TempDir
    Path dir;

    static Stream<Arguments> badWorkflows() {
        return Stream.of(
                // ---- the file as a whole ----
                bad("unknown top-level key", """
                        name: review
                        stpes:
                          - {id: a, agent: auto, prompt: go}
                        """,
                        "2: stpes: unknown key 'stpes' (did you mean 'steps'?); allowed here: description, inputs,"
                                + " name, steps"),
                bad("not a mapping", """
                        - id: a
                        """,
                        "1: not a workflow: expected name:, inputs: and steps: at the top level, found a list"),
                bad("no name", """
                        steps:
                          - {id: a, agent: auto, prompt: go}
                        """,
                        "1: a workflow needs a name:"),
                bad("a name with a space", """
                        name: code review
                        steps:
                          - {id: a, agent: auto, prompt: go}
                        """,
                        "1: name: a workflow name must start with a letter and hold only letters, digits, '_' and '-',"
                                + " was 'code review'"),
                bad("no steps", """
                        name: review
                        """,
                        "1: a workflow needs steps:, a list of steps with id:, agent: and prompt:"),
                bad("an empty list of steps", """
                        name: review
                        steps: []
                        """,
                        "2: steps: a workflow needs at least one step"),
                bad("steps as a mapping", """
                        name: review
                        steps:
                          a: {agent: auto, prompt: go}
                        """,
                        "3: steps: expected a list, found a mapping"),
                bad("an input name with a dot", """
                        name: review
                        inputs:
                          task.title:
                        steps:
                          - {id: a, agent: auto, prompt: go}
                        """,
                        "3: inputs.task.title: an input name must start with a letter and hold only letters, digits,"
                                + " '_' and '-', was 'task.title'"),
                bad("an input default that is a list", """
                        name: review
                        inputs:
                          files: [a.txt]
                        steps:
                          - {id: a, agent: auto, prompt: go}
                        """,
                        "3: inputs.files: expected the input's default value, or nothing for an input every run must"
                                + " give, found a list"),

                // ---- one step ----
                bad("unknown step key", """
                        name: review
                        steps:
                          - id: plan
                            agent: auto
                            prompt: go
                          - id: implement
                            agent: auto
                            depend_on: [plan]
                            prompt: go
                        """,
                        "8: steps[1].depend_on: unknown key 'depend_on' (did you mean 'depends_on'?); allowed here:"
                                + " agent, depends_on, id, loop, max_cost, mode, on_failure, output, pool, prefer,"
                                + " prompt"),
                bad("a step without an id", """
                        name: review
                        steps:
                          - agent: auto
                            prompt: go
                        """,
                        "3: steps[0]: a step needs an id:"),
                bad("a step id with a dot", """
                        name: review
                        steps:
                          - id: plan.v2
                            agent: auto
                            prompt: go
                        """,
                        "3: steps[0].id: a step id must start with a letter and hold only letters, digits, '_' and"
                                + " '-', was 'plan.v2'"),
                bad("a step without an agent", """
                        name: review
                        steps:
                          - id: plan
                            prompt: go
                        """,
                        "3: steps[0]: step 'plan' needs an agent: the name of a declared agent, or auto to let the"
                                + " router choose"),
                bad("an agent written as a mapping", """
                        name: review
                        steps:
                          - id: plan
                            agent: {name: codex}
                            prompt: go
                        """,
                        "4: steps[0].agent: expected a text value, found a mapping"),
                bad("a step without a prompt", """
                        name: review
                        steps:
                          - id: plan
                            agent: auto
                        """,
                        "3: steps[0]: step 'plan' needs a prompt: (its task, with placeholders such as"
                                + " {{inputs.task}})"),
                bad("a blank prompt", """
                        name: review
                        steps:
                          - id: plan
                            agent: auto
                            prompt: "  "
                        """,
                        "5: steps[0].prompt: must not be blank"),
                bad("an unknown mode", """
                        name: review
                        steps:
                          - id: plan
                            agent: auto
                            mode: yolo
                            prompt: go
                        """,
                        "5: steps[0].mode: unknown mode 'yolo'; expected one of plan, auto, full-auto"),
                bad("a router constraint with a named agent", """
                        name: review
                        steps:
                          - id: plan
                            agent: codex
                            pool: code
                            prompt: go
                        """,
                        "5: steps[0].pool: pool applies only with agent: auto; step 'plan' names agent 'codex'"),
                bad("max_cost as text", """
                        name: review
                        steps:
                          - id: plan
                            agent: auto
                            max_cost: cheap
                            prompt: go
                        """,
                        "5: steps[0].max_cost: expected a number, found the text 'cheap'"),
                bad("a negative max_cost", """
                        name: review
                        steps:
                          - id: plan
                            agent: auto
                            max_cost: -1
                            prompt: go
                        """,
                        "5: steps[0].max_cost: must be zero or more, was -1"),
                bad("prefer naming both an agent and a strength", """
                        name: review
                        steps:
                          - id: plan
                            agent: auto
                            prefer: {agent: codex, strength: speed}
                            prompt: go
                        """,
                        "5: steps[0].prefer: name exactly one of agent: or strength:"),
                bad("an unknown output", """
                        name: review
                        steps:
                          - id: plan
                            agent: auto
                            output: files
                            prompt: go
                        """,
                        "5: steps[0].output: unknown output 'files'; expected text, changed-files or {file: PATH}"),
                bad("a file output without its file", """
                        name: review
                        steps:
                          - id: plan
                            agent: auto
                            output: file
                            prompt: go
                        """,
                        "5: steps[0].output: name the file: output: {file: PATH}"),
                bad("a file output outside the working directory", """
                        name: review
                        steps:
                          - id: plan
                            agent: auto
                            output:
                              file: ../design.md
                            prompt: go
                        """,
                        "6: steps[0].output.file: a file output must be a relative path inside the working directory,"
                                + " was '../design.md'"),
                bad("an unknown on_failure", """
                        name: review
                        steps:
                          - id: plan
                            agent: auto
                            on_failure: give-up
                            prompt: go
                        """,
                        "5: steps[0].on_failure: unknown on_failure 'give-up'; expected retry, stop or"
                                + " {handoff: AGENT}"),
                bad("a handoff without its agent", """
                        name: review
                        steps:
                          - id: plan
                            agent: auto
                            on_failure: handoff
                            prompt: go
                        """,
                        "5: steps[0].on_failure: name the agent: on_failure: {handoff: AGENT}"),
                bad("depends_on as a mapping", """
                        name: review
                        steps:
                          - id: plan
                            agent: auto
                            depends_on: {step: x}
                            prompt: go
                        """,
                        "5: steps[0].depends_on: expected a list, found a mapping"),

                // ---- agents the configuration does not declare ----
                bad("an agent not in the config", """
                        name: review
                        steps:
                          - id: plan
                            agent: gpt-5
                            prompt: go
                        """,
                        "4: steps[0].agent: no agent named 'gpt-5' is declared (declared: claude-code, codex)"),
                bad("preferring an agent not in the config", """
                        name: review
                        steps:
                          - id: plan
                            agent: auto
                            prefer:
                              agent: gemini
                            prompt: go
                        """,
                        "6: steps[0].prefer.agent: no agent named 'gemini' is declared (declared: claude-code,"
                                + " codex)"),
                bad("preferring an agent not in the config, by name alone", """
                        name: review
                        steps:
                          - {id: plan, agent: auto, prefer: gemini, prompt: go}
                        """,
                        "3: steps[0].prefer: no agent named 'gemini' is declared (declared: claude-code, codex)"),
                bad("handing off to an agent not in the config", """
                        name: review
                        steps:
                          - id: plan
                            agent: codex
                            prompt: go
                            on_failure:
                              handoff: aider
                        """,
                        "7: steps[0].on_failure.handoff: no agent named 'aider' is declared (declared: claude-code,"
                                + " codex)"),
                bad("handing off to the step's own agent", """
                        name: review
                        steps:
                          - id: plan
                            agent: codex
                            prompt: go
                            on_failure: {handoff: codex}
                        """,
                        "6: steps[0].on_failure.handoff: step 'plan' already runs on agent 'codex'; hand off to"
                                + " another agent"),

                // ---- the graph ----
                bad("a duplicate id", """
                        name: review
                        steps:
                          - id: plan
                            agent: auto
                            prompt: go
                          - id: plan
                            agent: auto
                            prompt: go again
                        """,
                        "6: steps[1].id: step id 'plan' is already taken by an earlier step; step ids must be unique"),
                bad("a dependency on a missing step", """
                        name: review
                        steps:
                          - id: plan
                            agent: auto
                            prompt: go
                          - id: implement
                            agent: auto
                            depends_on:
                              - plan
                              - design
                            prompt: go
                        """,
                        "10: steps[1].depends_on[1]: step 'implement' depends on 'design', which is no step of this"
                                + " workflow (steps: plan, implement)"),
                bad("a dependency on a missing step, written alone", """
                        name: review
                        steps:
                          - {id: plan, agent: auto, prompt: go}
                          - id: implement
                            agent: auto
                            depends_on: plna
                            prompt: go
                        """,
                        "6: steps[1].depends_on: step 'implement' depends on 'plna', which is no step of this"
                                + " workflow (steps: plan, implement)"),
                bad("a step depending on itself", """
                        name: review
                        steps:
                          - {id: plan, agent: auto, depends_on: [plan], prompt: go}
                        """,
                        "3: steps[0].depends_on[0]: a step cannot depend on itself"),
                bad("a cycle without a loop bound: steps depending on each other", """
                        name: review
                        steps:
                          - id: implement
                            agent: auto
                            depends_on: [review]
                            prompt: go
                          - id: review
                            agent: auto
                            depends_on: [implement]
                            prompt: check
                        """,
                        "5: steps[0].depends_on[0]: steps depend on each other in a circle: implement -> review ->"
                                + " implement (each depends on the next); to repeat steps, give the step that checks"
                                + " the work a loop: with back_to and max_iterations"),
                bad("a cycle without a loop bound: a loop without max_iterations", """
                        name: review
                        steps:
                          - {id: implement, agent: auto, prompt: go}
                          - id: review
                            agent: auto
                            depends_on: [implement]
                            prompt: check
                            loop:
                              back_to: implement
                              until: approved
                        """,
                        "8: steps[1].loop: a loop needs max_iterations: the most times its steps run, so that it ends"
                                + " even without approval"),
                bad("a loop bound of zero", """
                        name: review
                        steps:
                          - {id: implement, agent: auto, prompt: go}
                          - id: review
                            agent: auto
                            depends_on: [implement]
                            prompt: check
                            loop: {back_to: implement, max_iterations: 0}
                        """,
                        "8: steps[1].loop.max_iterations: must be 1 or more, was 0"),
                bad("a loop bound as text", """
                        name: review
                        steps:
                          - {id: implement, agent: auto, prompt: go}
                          - id: review
                            agent: auto
                            depends_on: [implement]
                            prompt: check
                            loop: {back_to: implement, max_iterations: many}
                        """,
                        "8: steps[1].loop.max_iterations: expected a whole number, found the text 'many'"),
                bad("a loop without back_to", """
                        name: review
                        steps:
                          - {id: implement, agent: auto, prompt: go}
                          - id: review
                            agent: auto
                            depends_on: [implement]
                            prompt: check
                            loop:
                              max_iterations: 3
                        """,
                        "8: steps[1].loop: a loop needs back_to: the step the work goes back to"),
                bad("an unknown loop key", """
                        name: review
                        steps:
                          - {id: implement, agent: auto, prompt: go}
                          - id: review
                            agent: auto
                            depends_on: [implement]
                            prompt: check
                            loop:
                              back_to: implement
                              max_iteration: 3
                        """,
                        "10: steps[1].loop.max_iteration: unknown key 'max_iteration' (did you mean"
                                + " 'max_iterations'?); allowed here: back_to, max_iterations, until"),
                bad("an unknown loop condition", """
                        name: review
                        steps:
                          - {id: implement, agent: auto, prompt: go}
                          - id: review
                            agent: auto
                            depends_on: [implement]
                            prompt: check
                            loop: {back_to: implement, until: merged, max_iterations: 3}
                        """,
                        "8: steps[1].loop.until: unknown until 'merged'; expected approved"),
                bad("a loop back to a missing step", """
                        name: review
                        steps:
                          - {id: implement, agent: auto, prompt: go}
                          - id: review
                            agent: auto
                            depends_on: [implement]
                            prompt: check
                            loop:
                              back_to: implementation
                              max_iterations: 3
                        """,
                        "9: steps[1].loop.back_to: the loop goes back to 'implementation', which is no step of this"
                                + " workflow (steps: implement, review)"),
                bad("a loop back to a step it does not depend on", """
                        name: review
                        steps:
                          - {id: implement, agent: auto, prompt: go}
                          - {id: lint, agent: auto, prompt: lint}
                          - id: review
                            agent: auto
                            depends_on: [lint]
                            prompt: check
                            loop:
                              back_to: implement
                              max_iterations: 3
                        """,
                        "10: steps[2].loop.back_to: step 'review' does not depend on 'implement'; a loop goes back to"
                                + " a step this one depends on, directly or through other steps"),
                bad("crossing loops", """
                        name: review
                        steps:
                          - {id: a, agent: auto, prompt: go}
                          - {id: b, agent: auto, depends_on: a, prompt: go}
                          - {id: c, agent: auto, depends_on: b, prompt: go, loop: {back_to: a, max_iterations: 2}}
                          - id: d
                            agent: auto
                            depends_on: c
                            prompt: go
                            loop: {back_to: b, max_iterations: 2}
                        """,
                        "10: steps[3].loop: this loop (back to 'b') and the loop of step 'c' (back to 'a') share"
                                + " steps, but neither holds the other; loops must be apart or one inside the other"),

                // ---- placeholders ----
                bad("a placeholder naming no input, on the prompt's third line", """
                        name: review
                        inputs:
                          task:
                        steps:
                          - id: plan
                            agent: auto
                            prompt: |
                              Plan this.

                              Task: {{inputs.tsak}}
                        """,
                        "10: steps[0].prompt: {{inputs.tsak}} names no input of this workflow (inputs: task)"),
                bad("a placeholder naming a step it does not depend on", """
                        name: review
                        steps:
                          - {id: plan, agent: auto, prompt: go}
                          - id: implement
                            agent: auto
                            prompt: "Follow this plan: {{steps.plan.output}}"
                        """,
                        "6: steps[1].prompt: {{steps.plan.output}} is the output of 'plan', which step 'implement'"
                                + " does not depend on; add 'plan' to its depends_on (or to a step's it depends on)"),
                bad("a placeholder naming a missing step", """
                        name: review
                        steps:
                          - id: implement
                            agent: auto
                            prompt: |
                              Follow this plan:
                              {{steps.design.output}}
                        """,
                        "7: steps[0].prompt: {{steps.design.output}} names no step of this workflow (steps:"
                                + " implement)"),
                bad("a misspelt placeholder", """
                        name: review
                        inputs: {task: }
                        steps:
                          - id: plan
                            agent: auto
                            prompt: |
                              Plan this.
                              {{input.task}}
                        """,
                        "8: steps[0].prompt: '{{input.task}}' is not a placeholder; write {{inputs.NAME}} or"
                                + " {{steps.ID.output}}, or {{{{ for a literal {{"),
                bad("an unclosed placeholder in a folded prompt", """
                        name: review
                        inputs: {task: }
                        steps:
                          - id: plan
                            agent: auto
                            prompt: >
                              Plan this.
                              {{inputs.task
                        """,
                        "6: steps[0].prompt: '{{inputs.task' opens a placeholder that is not closed with }} on its"
                                + " line; write {{inputs.NAME}} or {{steps.ID.output}}, or {{{{ for a literal {{"));
    }

    private static Arguments bad(String name, String yaml, String expected) {
        return Arguments.of(name, yaml, expected);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("badWorkflows")
    void eachBadWorkflowIsOneErrorAtItsFileLineAndKey(String name, String yaml, String expected) throws IOException {
        InputException error = failureOf(yaml);

        assertThat(error).hasMessage(FILE + ":" + expected);
    }

    @Test
    void anEmptyFileIsRefusedAsAWhole() throws IOException {
        assertThat(failureOf("# nothing yet\n")).hasMessage(
                FILE + ": the file is empty; expected a workflow with name: and steps:");
    }

    @Test
    void theEarliestStepsProblemIsReportedFirst() throws IOException {
        InputException error = failureOf("""
                name: review
                steps:
                  - {id: plan, agent: gpt-5, prompt: go}
                  - {id: implement, agent: auto, depends_on: [nothing], prompt: go}
                """);

        assertThat(error.line()).isEqualTo(3);
        assertThat(error.key()).isEqualTo("steps[0].agent");
    }

    @Test
    void aMissingFileIsNamed() {
        InputException error = catchThrowableOfType(InputException.class,
                () -> WorkflowFiles.read(dir.resolve("nope.yaml"), "nope.yaml", AGENTS));

        assertThat(error).hasMessage("nope.yaml: no such file");
    }

    private InputException failureOf(String yaml) throws IOException {
        Path file = dir.resolve("review.yaml");
        Files.writeString(file, yaml);
        return catchThrowableOfType(InputException.class, () -> WorkflowFiles.read(file, FILE, AGENTS));
    }
}
