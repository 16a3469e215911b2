package io.switchboard.process.adapter;

import io.switchboard.core.execution.FailureInfo;
import io.switchboard.core.execution.FailureType;
import io.switchboard.core.execution.Usage;
import java.util.Optional;

/**
 * What a reader gathered from one run of a CLI whose output is structured (JSON), and the one way every such
 * adapter judges the run once the process has exited. Each rule is one line of {@link #failure}.
 */
final class RunEvidence {
    private final String cli;
    private final TimeBase time;
    private final OutputSample unstructured = new OutputSample();
    private int cutLines;

    /** The agent's session or thread id, when it said one. */
    String sessionId;
    /** The agent's final answer, set on success. */
    String summary = "";
    /** Tokens and cost so far. */
    Usage usage = Usage.NONE;
    /** The failure the structured output reported, already classified; {@code null} when it reported none. */
    FailureInfo reported;
    /** Whether the output's terminal event (its result) was read. */
    boolean finished;

    RunEvidence(String cli, TimeBase time) {
        this.cli = cli;
        this.time = time;
    }

    /** A line that should have been JSON and was not; kept for the detail when the run cannot be read. */
    void notStructured(String line, boolean truncated) {
        if (truncated) {
            // The runner cut it at its line cap: not the agent's fault, and not worth keeping half of.
            cutLines++;
        } else if (!line.isBlank()) {
            unstructured.add(line);
        }
    }

    /** The output that should have been structured and was not, verbatim and bounded, or empty. */
    String unstructuredText() {
        return unstructured.text();
    }

    Reading judge(int exitCode, String stderrTail) {
        return new Reading(failure(exitCode, stderrTail == null ? "" : stderrTail), usage, sessionId, summary);
    }

    private FailureInfo failure(int exitCode, String stderrTail) {
        // The agent's own structured output said it failed, and why.
        if (reported != null) {
            return reported;
        }
        // It reported its result: the exit status confirms it or contradicts it.
        if (finished) {
            return exitCode == 0 ? null
                    : FailureInfo.of(FailureType.EXIT_CODE, cli + " reported success but exited with status " + exitCode);
        }
        String stray = unstructured.text();
        // No result: standard error (or stray output) may still say it is not logged in or out of quota.
        Optional<FailureText.Finding> said = FailureText.find(stderrTail, time)
                .or(() -> FailureText.find(stray, time));
        if (said.isPresent()) {
            return said.get().toFailure(said.get().line()).withDetail(stray);
        }
        // No result and a failing status: the status is the best account there is.
        if (exitCode != 0) {
            String last = FailureText.lastLine(stderrTail);
            if (last.isEmpty()) {
                last = FailureText.lastLine(stray);
            }
            return FailureInfo.of(FailureType.EXIT_CODE,
                    cli + " exited with status " + exitCode + (last.isEmpty() ? "" : ": " + last)).withDetail(stray);
        }
        // Status 0 but no readable result: the output is not what this CLI prints.
        if (stray.isEmpty()) {
            String cut = cutLines == 0 ? "" : " (" + cutLines + " line(s) were longer than the runner's line cap)";
            return FailureInfo.of(FailureType.MALFORMED_OUTPUT, cli + " exited with status 0 without a result" + cut);
        }
        return new FailureInfo(FailureType.MALFORMED_OUTPUT,
                cli + " printed output that is not its JSON: " + FailureText.oneLine(firstLine(stray)), false, stray,
                null);
    }

    private static String firstLine(String text) {
        int end = text.indexOf('\n');
        String line = end < 0 ? text : text.substring(0, end);
        return line.length() <= 120 ? line : line.substring(0, 119) + "…";
    }
}
