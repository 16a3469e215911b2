package io.switchboard.process.workspace;

/**
 * A task's workspace could not be prepared, finished or merged: the message says which task, which branch or
 * folder, and what was found. The repository is left as it was before the failing step.
 */
public class WorkspaceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WorkspaceException(String message) {
        super(message);
    }

    public WorkspaceException(String message, Throwable cause) {
        super(message, cause);
    }
}
