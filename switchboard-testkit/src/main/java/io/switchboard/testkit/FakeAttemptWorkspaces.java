package io.switchboard.testkit;

import io.switchboard.core.attempt.AttemptChanges;
import io.switchboard.core.attempt.AttemptWorkspace;
import io.switchboard.core.attempt.FileChange;
import io.switchboard.core.port.AttemptWorkspaces;
import io.switchboard.core.port.WorkspaceUnavailableException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link AttemptWorkspaces} that makes nothing on disk: each attempt's workspace is the folder
 * {@code /workspaces/<task>-<attempt>} on the branch {@code switchboard/<task>}, and finishing it reports one file
 * added. Failures can be scripted per task. Every call is kept, so tests can assert what was asked and when
 * ({@link #onPrepare(Runnable)} runs while preparing). Thread-safe.
 */
public final class FakeAttemptWorkspaces implements AttemptWorkspaces {
    public static final Path ROOT = Path.of("/workspaces");

    private final List<String> calls = new ArrayList<>();
    private final Map<String, Deque<WorkspaceUnavailableException>> prepareFailures = new HashMap<>();
    private final Map<String, WorkspaceUnavailableException> finishFailures = new HashMap<>();
    private Runnable onPrepare = () -> { };

    /** The next preparations of the task's workspace fail with these, one each, in order. */
    public synchronized FakeAttemptWorkspaces failingToPrepare(String taskId, boolean retryable, String... messages) {
        Deque<WorkspaceUnavailableException> failures = prepareFailures.computeIfAbsent(taskId,
                id -> new ArrayDeque<>());
        for (String message : messages) {
            failures.add(new WorkspaceUnavailableException(message, retryable, null));
        }
        return this;
    }

    /** Finishing the task's workspaces fails with this. */
    public synchronized FakeAttemptWorkspaces failingToFinish(String taskId, boolean retryable, String message) {
        finishFailures.put(taskId, new WorkspaceUnavailableException(message, retryable, null));
        return this;
    }

    /** Runs {@code action} each time a workspace is prepared, before it is handed out. */
    public synchronized FakeAttemptWorkspaces onPrepare(Runnable action) {
        onPrepare = action;
        return this;
    }

    /** {@code prepare T-1 1 in /work after [T-0]} and {@code finish T-1 1 by alpha}, in order. */
    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    public static Path directoryOf(String taskId, int attempt) {
        return ROOT.resolve(taskId + "-" + attempt);
    }

    /** What finishing an attempt of the task reports. */
    public static AttemptChanges changesOf(String taskId, int attempt) {
        return new AttemptChanges("switchboard/" + taskId, "c0ffee" + attempt, "",
                List.of(new FileChange('A', taskId + ".txt")), "1 file changed, 1 insertion(+)");
    }

    @Override
    public AttemptWorkspace prepare(Path projectDirectory, String taskId, int attempt, List<String> dependencies) {
        Runnable action;
        WorkspaceUnavailableException failure;
        synchronized (this) {
            calls.add("prepare " + taskId + " " + attempt + " in " + projectDirectory + " after " + dependencies);
            Deque<WorkspaceUnavailableException> failures = prepareFailures.get(taskId);
            failure = failures == null ? null : failures.poll();
            action = onPrepare;
        }
        action.run();
        if (failure != null) {
            throw failure;
        }
        return new AttemptWorkspace(taskId, attempt, directoryOf(taskId, attempt), "switchboard/" + taskId);
    }

    @Override
    public AttemptChanges finish(AttemptWorkspace workspace, String title, String agent) {
        WorkspaceUnavailableException failure;
        synchronized (this) {
            calls.add("finish " + workspace.taskId() + " " + workspace.attempt() + " by " + agent);
            failure = finishFailures.get(workspace.taskId());
        }
        if (failure != null) {
            throw failure;
        }
        return changesOf(workspace.taskId(), workspace.attempt());
    }
}
