package io.switchboard.cli;

/**
 * Every exit status the CLI returns, in one place. Scripts may rely on these; they are listed in the
 * README's CLI reference.
 */
public final class ExitCodes {
    /** The command did what was asked. */
    public static final int OK = 0;
    /** Something went wrong inside Switchboard (a bug or an unexpected environment); the message says what. */
    public static final int INTERNAL = 1;
    /**
     * Bad usage or bad input: an unknown option, a config, task or workflow file with an error (file, line and key
     * named), a workflow input missing or unknown.
     */
    public static final int USAGE = 2;
    /** Routing found no agent that can take the task; the message names the pool and what was missing. */
    public static final int NO_AGENT = 3;
    /** A named thing (agent, task id, workflow) does not exist. */
    public static final int NOT_FOUND = 4;
    /** The database could not be opened or used. */
    public static final int STORE = 5;
    /**
     * Every task ran, and at least one failed (or was skipped because a task it depends on failed); or a workflow
     * run failed: a step failed, or a review loop reached its {@code max_iterations} without an approval.
     */
    public static final int TASK_FAILED = 6;
    /**
     * Another orchestrator runs the task and did not let it go within the time allowed ({@code handoff --wait});
     * the request stands, and {@code switchboard resume} carries it out once that orchestrator is gone.
     */
    public static final int HELD = 7;
    /**
     * {@code merge} stopped: a task's branch did not merge (a conflict; the message names the task and the files),
     * or the checkout cannot take merges (uncommitted changes, no branch checked out). What merged before the stop
     * stays merged; the checkout is clean.
     */
    public static final int MERGE_STOPPED = 8;
    /** {@code worker --amqp}: the broker could not be reached or refused the login within the timeout. */
    public static final int BROKER = 9;
    /**
     * {@code worker}: an agent this worker offers is registered with a different profile (adapter, command or mode
     * flags); nothing was registered.
     */
    public static final int AGENT_CLASH = 10;
    /** Stopped by SIGTERM or Ctrl-C; unfinished tasks and workflow runs are kept for {@code switchboard resume}. */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {
    }
}
