package io.switchboard.input.task;

/** No task file in the task folders holds the id asked for. */
public final class TaskNotFoundException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TaskNotFoundException(String searched, String problem) {
        super(searched + ": " + problem);
    }
}
