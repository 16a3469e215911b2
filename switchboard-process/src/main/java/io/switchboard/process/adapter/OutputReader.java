package io.switchboard.process.adapter;

import io.switchboard.core.execution.Usage;

/**
 * Reads one run's standard output as it arrives, line by line, then judges the run at its end. Called from
 * one thread at a time; not shared between runs.
 */
public interface OutputReader {

    /**
     * One line of standard output, without its line end.
     *
     * @param truncated whether the line was longer than the runner's line cap and was cut
     * @return the usage so far when this line reported some, else {@code null}
     */
    Usage line(String line, boolean truncated);

    /**
     * Judges the run once the process has exited.
     *
     * @param exitCode the process's exit status
     * @param stderrTail the end of its standard error (redacted), where CLIs say "not logged in" or "quota"
     */
    Reading finish(int exitCode, String stderrTail);
}
