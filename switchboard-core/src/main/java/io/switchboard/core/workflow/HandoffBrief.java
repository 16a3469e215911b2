package io.switchboard.core.workflow;

import io.switchboard.core.agent.RegisteredAgent;
import io.switchboard.core.attempt.AttemptRecord;
import io.switchboard.core.config.ExecutionSettings;
import io.switchboard.core.execution.KeptText;
import io.switchboard.core.handoff.HandoffPacket;
import io.switchboard.core.port.AgentDirectory;
import io.switchboard.core.task.Task;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;

/**
 * What an agent that takes over a failed step ({@code on_failure: handoff}) is told: the prompt of the task the step
 * is handed off as. {@link #packet} gives the step's prompt followed by the {@link HandoffPacket} of the failed task,
 * as any handoff gives it; {@link #LAST_FAILURE}, the prompt and how the last attempt failed, in a few lines.
 */
@FunctionalInterface
public interface HandoffBrief {

    /** The handoff's prompt. */
    String prompt(Handoff handoff);

    /**
     * One handoff.
     *
     * @param failed the step's task, which failed
     * @param attempts its attempts, by number
     * @param toAgent the agent the step is handed to
     * @param toTask the id of the task the step is handed off as
     * @param why why the task failed, as it was recorded
     */
    record Handoff(String runId, Step step, int iteration, Task failed, List<AttemptRecord> attempts, String toAgent,
            String toTask, String why) {
        public Handoff {
            Objects.requireNonNull(runId, "runId");
            Objects.requireNonNull(step, "step");
            Objects.requireNonNull(failed, "failed");
            attempts = List.copyOf(attempts);
            Objects.requireNonNull(toAgent, "toAgent");
            Objects.requireNonNull(toTask, "toTask");
            why = why == null ? "" : why;
        }

        /** The step's prompt, as the failed task had it. */
        public String prompt() {
            return failed.prompt();
        }

        /** The failed task's last attempt, or {@code null} when it never started one. */
        public AttemptRecord lastAttempt() {
            return attempts.isEmpty() ? null : attempts.getLast();
        }
    }

    /** How much of the failed attempt's kept output {@link #LAST_FAILURE} quotes. */
    int QUOTED_OUTPUT_CHARS = 4_000;

    /** The step's prompt, then who failed it, how, and the end of what it printed. */
    HandoffBrief LAST_FAILURE = handoff -> {
        StringBuilder text = new StringBuilder(handoff.prompt());
        if (!handoff.prompt().endsWith("\n")) {
            text.append('\n');
        }
        text.append("\n---\nThis step was handed over to you because it failed");
        AttemptRecord failed = handoff.lastAttempt();
        if (failed != null) {
            text.append(" on ").append(failed.attempt().agentName()).append(" (attempt ")
                    .append(failed.attempt().number()).append(')');
        }
        text.append(": ").append(handoff.why()).append('\n');
        if (failed != null && !failed.output().isBlank()) {
            text.append("What it printed (the middle left out when long):\n")
                    .append(KeptText.headTail(failed.output(), QUOTED_OUTPUT_CHARS).strip()).append('\n');
        }
        text.append("Whatever it changed is still in the working directory. Carry the step out from there.\n");
        return text.toString();
    };

    /**
     * The step's prompt, whole, then the handoff packet written from the failed task's record (what its last attempt
     * did, every failure with its key lines, the questions its attempts marked), fitted with the prompt to the
     * receiving agent's share of its context limit: what {@code switchboard handoff} and a retry give, for a task of
     * its own.
     *
     * @param agents where the receiving agent's context limit is read
     * @param execution where a task without a verification command of its own finds its work type's
     */
    static HandoffBrief packet(AgentDirectory agents, ExecutionSettings execution, InstantSource clock) {
        Objects.requireNonNull(agents, "agents");
        Objects.requireNonNull(execution, "execution");
        Objects.requireNonNull(clock, "clock");
        return handoff -> {
            RegisteredAgent to = agents.find(handoff.toAgent()).orElseThrow(() -> new IllegalStateException(
                    "step '" + handoff.step().id() + "' is handed off to " + handoff.toAgent()
                            + ", which is not registered"));
            HandoffPacket packet = HandoffPacket.forStep(handoff.failed(), handoff.attempts(),
                    execution.verifyLine(handoff.failed()),
                    new HandoffPacket.StepHandoff(handoff.runId(), handoff.step().id(), handoff.toTask()),
                    handoff.toAgent(), clock.instant());
            return packet.fit(HandoffPacket.Budget.after(handoff.prompt(), to.name(), to.profile().contextLimit()))
                    .after(handoff.prompt());
        };
    }
}
