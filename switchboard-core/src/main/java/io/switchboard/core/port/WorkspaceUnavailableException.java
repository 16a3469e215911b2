package io.switchboard.core.port;

/**
 * An attempt's workspace could not be made, or what changed in it could not be recorded. The dispatcher turns it
 * into the attempt's failure ({@link io.switchboard.core.execution.FailureType#WORKSPACE}).
 */
public final class WorkspaceUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean retryable;

    /**
     * @param retryable whether trying again may help (a git command that failed or timed out, a disk that was
     *     full); {@code false} when the repository itself is in the way and stays so (the branches of the task's
     *     dependencies conflict, a dependency has no branch, the repository has no commit)
     */
    public WorkspaceUnavailableException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
