package io.switchboard.core.remote;

import static io.switchboard.core.Require.require;

import io.switchboard.core.agent.Mode;
import java.time.Instant;
import java.util.Objects;

/**
 * The work a remote worker is asked to do: one attempt of one task on one agent. It is what the outbox holds and
 * what the broker carries to the agent's queue; the store stays the source of truth, so a message only says which
 * attempt to run, and a worker that finds the attempt no longer current (its number is a fencing token) drops it.
 *
 * <p>Messages are versioned: {@link #VERSION} is the version this code writes and the only one it reads. A change
 * that an older worker could misread gets a new version.
 *
 * @param version the message format's version; {@link #VERSION} for the messages this code makes
 * @param attempt the attempt's number, 1 or more
 * @param agent the name of the agent whose queue the message goes to
 * @param prompt the prompt itself, or where the worker reads it
 * @param deadline when the attempt must be over, or {@code null} for none
 * @param priority from {@link WorkPriority#LOWEST} to {@link WorkPriority#HIGHEST}; see {@link WorkPriority#of}
 */
public record WorkMessage(int version, String taskId, int attempt, String agent, Mode mode, Prompt prompt,
        Instant deadline, int priority) {

    /** The version this code writes and reads. */
    public static final int VERSION = 1;

    public WorkMessage {
        require(version >= 1, "a message version is 1 or more, was %s", version);
        Objects.requireNonNull(taskId, "taskId");
        require(!taskId.isBlank(), "a message names its task, was '%s'", taskId);
        require(attempt >= 1, "attempts are numbered from 1, was %s", attempt);
        Objects.requireNonNull(agent, "agent");
        require(!agent.isBlank(), "a message names its agent, was '%s'", agent);
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(prompt, "prompt");
        require(priority >= WorkPriority.LOWEST && priority <= WorkPriority.HIGHEST,
                "a priority is from %s to %s, was %s", WorkPriority.LOWEST, WorkPriority.HIGHEST, priority);
    }

    /** A message of the current version. */
    public static WorkMessage of(String taskId, int attempt, String agent, Mode mode, Prompt prompt,
            Instant deadline, int priority) {
        return new WorkMessage(VERSION, taskId, attempt, agent, mode, prompt, deadline, priority);
    }

    /** The prompt in the message, or a reference to where the worker reads it. */
    public sealed interface Prompt permits Inline, Reference {
    }

    /** The prompt itself. */
    public record Inline(String text) implements Prompt {
        public Inline {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * Where the worker reads the prompt, for a prompt too large to carry: {@code task:ID} is the prompt of the task
     * as the store holds it.
     */
    public record Reference(String location) implements Prompt {
        public Reference {
            Objects.requireNonNull(location, "location");
            require(!location.isBlank(), "a prompt reference says where the prompt is, was '%s'", location);
        }

        /** The prompt of the stored task. */
        public static Reference toTask(String taskId) {
            return new Reference("task:" + taskId);
        }
    }
}
