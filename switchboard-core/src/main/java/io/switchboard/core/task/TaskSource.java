package io.switchboard.core.task;

/**
 * Where a task came from, for error messages and the audit trail.
 *
 * @param location a file path as the user gave it, or {@code --prompt}
 * @param line the 1-based line where the task starts in that file (1 for whole-file tasks, 0 when none)
 */
public record TaskSource(String location, int line) {
    public static final TaskSource COMMAND_LINE = new TaskSource("--prompt", 0);

    @Override
    public String toString() {
        return line > 0 ? location + ":" + line : location;
    }
}
