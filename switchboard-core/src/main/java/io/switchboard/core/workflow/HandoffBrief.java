package io.switchboard.core.workflow;

import io.switchboard.core.attempt.AttemptRecord;
import io.switchboard.core.execution.KeptText;
import java.util.Objects;

/**
 * What an agent that takes over a failed step is told: the seam where a fuller handoff packet (what was done,
 * what is left) plugs in. {@link #LAST_FAILURE} gives the step's prompt and how the last attempt failed.
 */
@FunctionalInterface
public interface HandoffBrief {

    /** The handoff's prompt. */
    String prompt(Handoff handoff);

    /**
     * One handoff.
     *
     * @param prompt the step's prompt, as the failed task had it
     * @param toAgent the agent the step is handed to
     * @param failed the task's last attempt, or {@code null} when it never started one
     * @param why why the task failed, as it was recorded
     */
    record Handoff(String runId, Step step, int iteration, String prompt, String toAgent, AttemptRecord failed,
            String why) {
        public Handoff {
            Objects.requireNonNull(step, "step");
            Objects.requireNonNull(prompt, "prompt");
            Objects.requireNonNull(toAgent, "toAgent");
            why = why == null ? "" : why;
        }
    }

    /** How much of the failed attempt's kept output the handoff quotes. */
    int QUOTED_OUTPUT_CHARS = 4_000;

    /** The step's prompt, then who failed it, how, and the end of what it printed. */
    HandoffBrief LAST_FAILURE = handoff -> {
        StringBuilder text = new StringBuilder(handoff.prompt());
        if (!handoff.prompt().endsWith("\n")) {
            text.append('\n');
        }
        text.append("\n---\nThis step was handed over to you because it failed");
        AttemptRecord failed = handoff.failed();
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
}
