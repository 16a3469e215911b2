package io.switchboard.core.handoff;

import static io.switchboard.testkit.TaskBuilder.aTask;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.agent.Mode;
import io.switchboard.core.attempt.Attempt;
import io.switchboard.core.attempt.AttemptChanges;
import io.switchboard.core.attempt.AttemptRecord;
import io.switchboard.core.attempt.AttemptState;
import io.switchboard.core.attempt.FileChange;
import io.switchboard.core.execution.FailureInfo;
import io.switchboard.core.execution.FailureType;
import io.switchboard.core.handoff.HandoffPacket.Budget;
import io.switchboard.core.handoff.HandoffPacket.Fitted;
import io.switchboard.core.handoff.HandoffPacket.Verification;
import io.switchboard.core.task.Handoff;
import io.switchboard.core.task.Task;
import io.switchboard.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The packet built from a task and its attempts, rendered as markdown and fitted to a budget of tokens. */
class HandoffPacketTest {
    private static final Instant T0 = MutableClock.EPOCH;
    private static final Budget ROOMY = Budget.after("", "beta", 1_000_000);

    private final Task task = aTask().withId("T-1").titled("Add a rate limiter")
            .withPrompt("Add a token-bucket rate limiter to the public API.\nKeep `Limiter` thread-safe.")
            .verifiedBy("mvn -q test").build();

    @Test
    void a_packet_holds_the_goal_what_was_done_what_failed_the_questions_and_where_it_came_from() {
        AttemptRecord first = attempt(1, "alpha", failure(FailureType.EXIT_CODE, "exited with status 1"),
                "compiling\nerror: cannot find symbol Limiter\nQUESTION: may I add Guava?\nbye", "", "");
        AttemptRecord second = attempt(2, "gamma", failure(FailureType.VERIFY_FAILED,
                "verification 'mvn -q test' failed: exited with status 1"), "wrote Limiter.java", "Tests run: 4, "
                + "Failures: 1\nLimiterTest.refills FAILED", "I added Limiter.java.\nOpen question: which clock?");

        HandoffPacket packet = HandoffPacket.of(task, List.of(first, second), "mvn -q test",
                null, "beta", 3, T0.plusSeconds(60));
        String text = packet.fit(ROOMY).text();

        assertThat(packet.goal()).isEqualTo("Add a rate limiter");
        assertThat(packet.prompt()).isEqualTo(task.prompt());
        assertThat(text).contains("# Handoff packet for T-1",
                "Earlier attempts at the task above did not succeed; yours is attempt 3.",
                "## Goal\n\nAdd a rate limiter\n\nSuccess means the agent finishes its work without an error and the "
                        + "verification `mvn -q test` passes.",
                "## What was done\n\nAttempt 2 on gamma: failed (verify_failed: verification 'mvn -q test' failed: "
                        + "exited with status 1).",
                "Its final answer:\n\n```\nI added Limiter.java.\nOpen question: which clock?\n```",
                "Files changed: not recorded for this attempt.",
                "Verification (`mvn -q test`): failed: exited with status 1.",
                "The end of its output:\n\n```\nTests run: 4, Failures: 1\nLimiterTest.refills FAILED\n```",
                "## What failed\n\n### Attempt 1 on alpha: failed (exit_code)\n\nexited with status 1\n\n"
                        + "```\nerror: cannot find symbol Limiter\n```",
                "### Attempt 2 on gamma: failed (verify_failed)",
                "## Open questions\n\n- Attempt 1 on alpha asked: may I add Guava?\n"
                        + "- Attempt 2 on gamma asked: which clock?",
                "## Provenance\n\n- Written by Switchboard at 2026-01-05T09:01:00Z for attempt 3 on beta, as a retry.\n"
                        + "- The attempt before it: 2 on gamma, from 2026-01-05T09:00:00Z to 2026-01-05T09:00:10Z.")
                .doesNotContain("## Left out");
        // The prompt comes first and whole; the packet follows it.
        assertThat(packet.fit(ROOMY).after(task.prompt())).startsWith(task.prompt() + "\n\n---\n\n# Handoff packet");
    }

    @Test
    void the_end_of_the_output_stands_in_for_a_final_answer_the_agent_did_not_give() {
        String output = IntStream.rangeClosed(1, 100).mapToObj(i -> "line " + i).reduce((a, b) -> a + "\n" + b)
                .orElseThrow();
        AttemptRecord first = attempt(1, "alpha", failure(FailureType.TIMEOUT, "ran for 30m"), output, "", "");

        HandoffPacket packet = HandoffPacket.of(task, List.of(first), null, null, "beta", 2, T0);

        assertThat(packet.done().finalAnswer()).isFalse();
        assertThat(HandoffPacket.lines(packet.done().summary())).hasSize(HandoffPacket.OUTPUT_TAIL_LINES)
                .startsWith("line 41").endsWith("line 100");
        assertThat(packet.fit(ROOMY).text()).contains("The end of its output (it gave no final answer):",
                "Verification: none applies to this task.", "Success means the agent finishes its work without an "
                        + "error.");
    }

    @Test
    void key_lines_are_the_last_that_name_an_error_else_the_last_that_are_not_blank() {
        List<String> many = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            many.add("ok " + i);
            many.add("ERROR " + i + " went wrong");
        }
        many.add("x".repeat(300) + " failed");

        assertThat(HandoffPacket.keyLines(String.join("\n", many))).containsExactly("ERROR 5 went wrong",
                "ERROR 6 went wrong", "ERROR 7 went wrong", "ERROR 8 went wrong", "x".repeat(199) + "…");
        // "prefix" is not an error word; nothing flagged, so the last lines that are not blank.
        assertThat(HandoffPacket.keyLines("a\nb\n\nprefix\nc\nd\ne\nf\n--- stderr ---\n\n"))
                .containsExactly("prefix", "c", "d", "e", "f");
        assertThat(HandoffPacket.keyLines("")).isEmpty();
    }

    @Test
    void questions_are_the_lines_marked_as_such_each_once_and_the_note_is_kept_apart() {
        assertThat(HandoffPacket.markedQuestions("""
                QUESTION: Should the limit be per key?
                - question: and per route?
                Is this a question? It is not marked.
                > Open question: which clock?
                questions: not this either
                """)).containsExactly("Should the limit be per key?", "and per route?", "which clock?");

        AttemptRecord first = attempt(1, "alpha", failure(FailureType.EXIT_CODE, "1"), "QUESTION: per key?", "", "");
        AttemptRecord second = attempt(2, "gamma", failure(FailureType.EXIT_CODE, "1"), "QUESTION: per key?", "", "");
        Handoff handoff = new Handoff("beta", "Use the existing Clock.\nNo new dependencies.", T0.plusSeconds(30),
                null);
        HandoffPacket packet = HandoffPacket.of(task, List.of(first, second), null, handoff, "beta",
                3, T0.plusSeconds(40));

        assertThat(packet.questions()).extracting(HandoffPacket.Question::attempt).containsExactly(1);
        assertThat(packet.fit(ROOMY).text()).contains(
                "A person handed the task above to you (beta); yours is attempt 3.",
                "## Open questions\n\nFrom the person who handed the task off:\n\n> Use the existing Clock.\n"
                        + "> No new dependencies.\n\n- Attempt 1 on alpha asked: per key?\n",
                "after a person handed the task off at 2026-01-05T09:00:30Z.");
    }

    @Test
    void only_the_attempts_after_the_last_success_count() {
        AttemptRecord oldFailure = attempt(1, "alpha", failure(FailureType.EXIT_CODE, "old"), "", "", "");
        AttemptRecord success = attempt(2, "beta", null, "", "", "done");
        AttemptRecord newFailure = attempt(3, "gamma", failure(FailureType.EXIT_CODE, "new"), "", "", "");

        assertThat(HandoffPacket.dueAfter(List.of())).isFalse();
        assertThat(HandoffPacket.dueAfter(List.of(oldFailure, success))).isFalse();
        assertThat(HandoffPacket.dueAfter(List.of(oldFailure, success, newFailure))).isTrue();
        HandoffPacket packet = HandoffPacket.of(task, List.of(oldFailure, success, newFailure), null,
                null, "beta", 4, T0);
        assertThat(packet.failures()).extracting(HandoffPacket.FailedAttempt::message).containsExactly("new");
        assertThat(packet.done().attempt()).isEqualTo(3);
    }

    @Test
    void the_last_attempt_verification_result_is_told_as_it_was() {
        AttemptRecord agentFailedFirst = attempt(1, "alpha", failure(FailureType.EXIT_CODE, "1"), "", "", "");
        AttemptRecord verifyFailed = attempt(1, "alpha", failure(FailureType.VERIFY_FAILED, "exit 2"), "", "BOOM", "");

        assertThat(HandoffPacket.of(task, List.of(verifyFailed), "make check", null, "b", 2, T0).done()
                .verification())
                .isEqualTo(new Verification("make check", Verification.Result.FAILED, "exit 2", "BOOM"));
        assertThat(HandoffPacket.of(task, List.of(agentFailedFirst), "make check", null, "b", 2, T0)
                .fit(ROOMY).text()).contains("Verification (`make check`): did not run; the attempt ended before it.");
    }

    @Test
    void the_files_the_last_attempt_changed_in_its_workspace_are_shown_with_the_diff_stat_and_its_commit() {
        AttemptRecord first = attempt(1, "alpha", failure(FailureType.EXIT_CODE, "1"), "", "", "",
                new AttemptChanges("switchboard/t-1", "3f2a9c0d", "", List.of(new FileChange('A', "src/Limiter.java"),
                        new FileChange('M', "pom.xml")), "2 files changed, 40 insertions(+), 3 deletions(-)"));

        String text = HandoffPacket.of(task, List.of(first), null, null, "beta", 2, T0).fit(ROOMY).text();

        assertThat(text).contains("Files changed:\n\n- `A src/Limiter.java`\n- `M pom.xml`\n\n"
                + "Diff: 2 files changed, 40 insertions(+), 3 deletions(-) (commit 3f2a9c0d)");
    }

    @Test
    void no_change_in_a_workspace_is_none_and_changes_not_recorded_are_said_to_be() {
        AttemptRecord unchanged = attempt(1, "alpha", failure(FailureType.EXIT_CODE, "1"), "", "", "",
                new AttemptChanges("switchboard/t-1", "", "", List.of(), "no changes"));
        AttemptRecord inACopy = attempt(1, "alpha", failure(FailureType.EXIT_CODE, "1"), "", "", "",
                new AttemptChanges("", "", "/p/.switchboard/copies/t-1-1", List.of(new FileChange('D', "old.txt")),
                        "1 file changed: 1 deleted"));
        AttemptRecord unrecorded = attempt(1, "alpha", failure(FailureType.WORKSPACE, "no branch"), "", "", "",
                AttemptChanges.notRecorded("switchboard/t-1", "the worktree is on another branch"));
        AttemptRecord inTheWorkingDirectory = attempt(1, "alpha", failure(FailureType.EXIT_CODE, "1"), "", "", "");

        assertThat(text(unchanged)).contains("Files changed: none.").doesNotContain("Diff:");
        assertThat(text(inACopy)).contains("Files changed:\n\n- `D old.txt`\n\nDiff: 1 file changed: 1 deleted\n");
        assertThat(text(unrecorded)).contains("Files changed: not recorded for this attempt.")
                .doesNotContain("Diff:");
        assertThat(text(inTheWorkingDirectory)).contains("Files changed: not recorded for this attempt.");
    }

    private String text(AttemptRecord last) {
        return HandoffPacket.of(task, List.of(last), null, null, "beta", 2, T0).fit(ROOMY).text();
    }

    @Test
    void fitting_keeps_the_digest_whole_and_trims_from_the_least_important_end_saying_what_was_left_out() {
        String answer = IntStream.rangeClosed(1, 200).mapToObj(i -> "step " + i + " of the work done so far")
                .reduce((a, b) -> a + "\n" + b).orElseThrow();
        List<FileChange> files = IntStream.rangeClosed(1, 300)
                .mapToObj(i -> new FileChange('M', "src/main/java/File" + i + ".java")).toList();
        AttemptRecord first = attempt(1, "alpha", failure(FailureType.EXIT_CODE, "exited with status 1"),
                "error: the first failure's key line", "", "");
        AttemptRecord second = attempt(2, "gamma", failure(FailureType.EXIT_CODE, "exited with status 2"), "", "",
                answer + "\nQUESTION: keep the old API?", new AttemptChanges("switchboard/t-1", "", "", files,
                        "300 files changed"));
        HandoffPacket packet = HandoffPacket.of(task, List.of(first, second), null,
                new Handoff("beta", "Mind the tests.", T0, null), "beta", 3, T0);
        long whole = packet.fit(ROOMY).tokens();

        // A context limit whose half holds the prompt and a quarter of the packet.
        int limit = (int) (2 * (HandoffPacket.estimateTokens(task.prompt() + "\n\n") + whole / 4));
        Budget budget = Budget.after(task.prompt(), "beta", limit);
        Fitted fitted = packet.fit(budget);

        assertThat(fitted.tokens()).isLessThanOrEqualTo(budget.tokens());
        assertThat(fitted.text()).contains("exited with status 1", "error: the first failure's key line",
                "exited with status 2", "> Mind the tests.", "keep the old API?", "step 200 of the work done so far",
                "## Left out", "of beta's context limit of " + limit + " tokens");
        // The least important parts went first: the provenance and the files, before any of the answer.
        assertThat(fitted.leftOut()).first().asString().startsWith("the last attempt's answer: ");
        assertThat(fitted.leftOut()).contains("the list of files changed (300 lines)", "the provenance (2 lines)");
        assertThat(fitted.text()).doesNotContain("## Provenance", "File1.java");
    }

    @Test
    void what_is_kept_whole_stays_whole_even_over_the_budget_and_the_packet_says_so() {
        String longMessage = "m".repeat(4_000);
        AttemptRecord first = attempt(1, "alpha", failure(FailureType.EXIT_CODE, longMessage), "", "", "");
        HandoffPacket packet = HandoffPacket.of(task, List.of(first), null, null, "beta", 2, T0);

        Fitted fitted = packet.fit(new Budget("beta", 1_000, 100));

        assertThat(fitted.text()).contains(longMessage, "are kept whole");
        assertThat(fitted.tokens()).isGreaterThan(100);
    }

    @Test
    void a_fence_is_longer_than_any_run_of_backticks_in_what_it_holds() {
        assertThat(HandoffPacket.fenced("plain")).isEqualTo("```\nplain\n```\n");
        assertThat(HandoffPacket.fenced("a ```` b")).isEqualTo("`````\na ```` b\n`````\n");
    }

    @Test
    void tokens_are_estimated_at_four_characters_each_rounded_up() {
        assertThat(HandoffPacket.estimateTokens("")).isZero();
        assertThat(HandoffPacket.estimateTokens("abcd")).isEqualTo(1);
        assertThat(HandoffPacket.estimateTokens("abcde")).isEqualTo(2);
        assertThat(Budget.after("x".repeat(398), "a", 1_000).tokens()).isEqualTo(500 - 100);
    }

    private static FailureInfo failure(FailureType type, String message) {
        return FailureInfo.of(type, message);
    }

    /** A finished attempt that started at T0 and ran ten seconds, in the working directory. */
    private static AttemptRecord attempt(int number, String agent, FailureInfo failure, String output,
            String verifyOutput, String summary) {
        return attempt(number, agent, failure, output, verifyOutput, summary, null);
    }

    /** A finished attempt that started at T0 and ran ten seconds, with what it changed in its workspace. */
    private static AttemptRecord attempt(int number, String agent, FailureInfo failure, String output,
            String verifyOutput, String summary, AttemptChanges changes) {
        AttemptState state = failure == null ? AttemptState.SUCCEEDED : failure.type().attemptState();
        Attempt attempt = new Attempt("T-1", number, UUID.nameUUIDFromBytes(agent.getBytes()), agent, Mode.AUTO,
                "implement", state, T0, T0.plus(Duration.ofSeconds(10)));
        return new AttemptRecord(attempt, failure, 10_000, 0, 0, 0, failure == null ? 0 : 1, null, "", output,
                verifyOutput, null, null, null, null, summary, "", changes);
    }
}
