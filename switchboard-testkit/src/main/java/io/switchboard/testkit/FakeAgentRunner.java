package io.switchboard.testkit;

import io.switchboard.core.execution.CapturedOutput;
import io.switchboard.core.execution.FailureInfo;
import io.switchboard.core.execution.FailureType;
import io.switchboard.core.execution.RunObserver;
import io.switchboard.core.execution.RunRequest;
import io.switchboard.core.execution.RunResult;
import io.switchboard.core.execution.RunningAgent;
import io.switchboard.core.execution.Usage;
import io.switchboard.core.execution.VerifyRequest;
import io.switchboard.core.port.AgentRunner;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An {@link AgentRunner} that runs nothing: each agent follows a script of outcomes, one per run, the last
 * repeated once the script is used up (an agent without a script succeeds). A run "takes" its scripted time by
 * moving the {@link MutableClock}. Every request is kept, so tests can assert what was asked of whom.
 *
 * <pre>{@code
 * runner.script("codex", FakeAgentRunner.fails(FailureType.EXIT_CODE, "tests failed"), FakeAgentRunner.ok());
 * }</pre>
 *
 * Thread-safe.
 */
public final class FakeAgentRunner implements AgentRunner {
    private final MutableClock clock;
    private final Map<String, Deque<Outcome>> scripts = new HashMap<>();
    private final Deque<Outcome> verifications = new ArrayDeque<>();
    private final List<RunRequest> requests = new ArrayList<>();
    private final List<VerifyRequest> verifyRequests = new ArrayList<>();

    public FakeAgentRunner(MutableClock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** One scripted run: how it ends, what it reports, how long it takes, and what happens when it starts. */
    public record Outcome(FailureInfo failure, Usage usage, Duration takes, String output, Runnable onStart) {
        public Outcome taking(Duration duration) {
            return new Outcome(failure, usage, duration, output, onStart);
        }

        public Outcome usage(long inputTokens, long outputTokens, Double cost) {
            return new Outcome(failure, new Usage(inputTokens, outputTokens, cost), takes, output, onStart);
        }

        public Outcome printing(String text) {
            return new Outcome(failure, usage, takes, text, onStart);
        }

        public Outcome resettingAt(Instant reset) {
            return new Outcome(failure.withResetAt(reset), usage, takes, output, onStart);
        }

        /** Runs {@code action} when the run starts (for example to stop the dispatcher mid-run). */
        public Outcome onStart(Runnable action) {
            return new Outcome(failure, usage, takes, output, action);
        }
    }

    public static Outcome ok() {
        return new Outcome(null, Usage.NONE, Duration.ofSeconds(1), "done", null);
    }

    public static Outcome fails(FailureType type, String message) {
        return new Outcome(new FailureInfo(type, message, type == FailureType.INVALID_TASK, "", null), Usage.NONE,
                Duration.ofSeconds(1), "", null);
    }

    /** Replaces the agent's script. */
    public synchronized FakeAgentRunner script(String agent, Outcome... outcomes) {
        scripts.put(agent, new ArrayDeque<>(List.of(outcomes)));
        return this;
    }

    /** Replaces the script of verification runs (shared by all tasks). */
    public synchronized FakeAgentRunner verifications(Outcome... outcomes) {
        verifications.clear();
        verifications.addAll(List.of(outcomes));
        return this;
    }

    public synchronized List<RunRequest> requests() {
        return List.copyOf(requests);
    }

    public synchronized List<VerifyRequest> verifyRequests() {
        return List.copyOf(verifyRequests);
    }

    /** The agents asked to run, in order. */
    public synchronized List<String> agentsRun() {
        return requests.stream().map(request -> request.agent().name()).toList();
    }

    @Override
    public RunningAgent start(RunRequest request, RunObserver observer) {
        Outcome outcome;
        synchronized (this) {
            requests.add(request);
            outcome = next(scripts.computeIfAbsent(request.agent().name(), name -> new ArrayDeque<>()));
        }
        if (outcome.usage().totalTokens() > 0) {
            observer.usage(outcome.usage());
        }
        return new Run(outcome, request.agent().name() + " 1.0 (fake)");
    }

    @Override
    public RunningAgent verify(VerifyRequest request) {
        Outcome outcome;
        synchronized (this) {
            verifyRequests.add(request);
            outcome = next(verifications);
        }
        return new Run(outcome, "");
    }

    @Override
    public int sweep(String markerPrefix) {
        return 0;
    }

    private static Outcome next(Deque<Outcome> script) {
        if (script.isEmpty()) {
            return ok();
        }
        return script.size() == 1 ? script.peekFirst() : script.pollFirst();
    }

    private final class Run implements RunningAgent {
        private final Outcome outcome;
        private final String version;
        private FailureType stoppedFor;
        private RunResult result;

        Run(Outcome outcome, String version) {
            this.outcome = outcome;
            this.version = version;
            if (outcome.onStart() != null) {
                outcome.onStart().run();
            }
        }

        @Override
        public synchronized RunResult await() {
            if (result == null) {
                clock.tick(outcome.takes());
                FailureInfo failure = stoppedFor != null ? FailureInfo.of(stoppedFor, "stopped") : outcome.failure();
                result = new RunResult(failure, failure == null ? 0 : 1, outcome.takes(), outcome.usage(),
                        "session-1", outcome.output(), version, new CapturedOutput(outcome.output(),
                                outcome.output().length(), false), CapturedOutput.EMPTY);
            }
            return result;
        }

        @Override
        public synchronized void stop(FailureType reason) {
            if (result == null && stoppedFor == null) {
                stoppedFor = reason;
            }
        }

        @Override
        public long pid() {
            return -1;
        }
    }
}
