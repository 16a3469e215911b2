package io.switchboard.core.plan;

import java.util.List;

/**
 * A plan that cannot run: its tasks depend on each other in a cycle, or on tasks that are not there. Found before
 * anything runs; every problem is listed, each naming its tasks.
 */
public final class InvalidPlanException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public InvalidPlanException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
