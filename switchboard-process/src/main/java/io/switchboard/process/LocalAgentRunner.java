package io.switchboard.process;

import io.switchboard.core.agent.Adapter;
import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.execution.FailureInfo;
import io.switchboard.core.execution.FailureType;
import io.switchboard.core.execution.RunObserver;
import io.switchboard.core.execution.RunRequest;
import io.switchboard.core.execution.RunResult;
import io.switchboard.core.execution.RunningAgent;
import io.switchboard.core.execution.VerifyRequest;
import io.switchboard.core.port.AgentRunner;
import io.switchboard.process.adapter.CliAdapter;
import io.switchboard.process.internal.Launch;
import io.switchboard.process.internal.PidWindow;
import io.switchboard.process.internal.ProgramLookup;
import io.switchboard.process.internal.PromptFile;
import io.switchboard.process.internal.Redaction;
import io.switchboard.process.internal.Supervisor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Runs agents as local subprocesses, each supervised from start to end: argv only (never a shell), the prompt
 * on standard input or in a private file, exactly the environment asked for plus the attempt's marker, a
 * process group of its own, wall-clock and idle limits, bounded output with secrets redacted, and nothing it
 * started left running when its result is returned. docs/supervision.md says how each guarantee is kept.
 *
 * <p>{@link #start} returns once the process has started (or failed to); it blocks only before the first run
 * of an agent, while that agent's version is asked for (at most {@link RunnerSettings#versionTimeout()}).
 * Thread-safe: any number of runs may go on at once.
 */
public final class LocalAgentRunner implements AgentRunner {
    /** Appended to an attempt's marker for its agent's version probe, so that each sweep finds its own. */
    static final String VERSION_MARKER_SUFFIX = ".version";

    private final RunnerSettings settings;
    private final Function<Adapter, CliAdapter> adapters;
    private final Supervisor supervisor;
    private final Map<List<String>, CompletableFuture<String>> versions = new ConcurrentHashMap<>();

    public LocalAgentRunner(RunnerSettings settings, Function<Adapter, CliAdapter> adapters) {
        this(settings, adapters, System::nanoTime);
    }

    /**
     * @param monotonicNanos the clock every limit is measured on (a test moves one by hand); it must never go
     *     back, and grace periods only pass when it moves
     */
    public LocalAgentRunner(RunnerSettings settings, Function<Adapter, CliAdapter> adapters,
            LongSupplier monotonicNanos) {
        this(settings, adapters, monotonicNanos, PidWindow.PROC);
    }

    /** With the kernel's pid counters given by a test, which decide how much of {@code /proc} a clean-up reads. */
    LocalAgentRunner(RunnerSettings settings, Function<Adapter, CliAdapter> adapters, LongSupplier monotonicNanos,
            PidWindow.Kernel kernel) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.adapters = Objects.requireNonNull(adapters, "adapters");
        this.supervisor = new Supervisor(settings, Objects.requireNonNull(monotonicNanos, "monotonicNanos"),
                Objects.requireNonNull(kernel, "kernel"));
    }

    /** Whether this host lets each agent have a process group of its own (see {@link RunnerSettings}). */
    public boolean ownProcessGroups() {
        return supervisor.ownProcessGroups();
    }

    /** How agents start: {@code posix_spawn}, {@code ProcessBuilder through setsid} or {@code ProcessBuilder}. */
    public String spawnMethod() {
        return supervisor.spawnMethod();
    }

    @Override
    public RunningAgent start(RunRequest request, RunObserver observer) {
        Redaction redaction = Redaction.of(request.secrets());
        int nul = request.prompt().indexOf('\0');
        if (nul >= 0) {
            return Supervisor.notStarted(FailureInfo.of(FailureType.INVALID_TASK, "the prompt holds a NUL byte (at "
                    + "character " + nul + "): no agent CLI can take one as text"), redaction, "");
        }
        Path workingDirectory = request.workingDirectory().toAbsolutePath();
        FailureInfo badDirectory = checkWorkingDirectory(workingDirectory);
        if (badDirectory != null) {
            return Supervisor.notStarted(badDirectory, redaction, "");
        }
        AgentProfile profile = request.agent();
        CliAdapter adapter = adapters.apply(profile.adapter());
        PromptFile promptFile = null;
        if (adapter.promptDelivery(profile) == CliAdapter.PromptDelivery.FILE) {
            try {
                promptFile = PromptFile.write(request.prompt());
            } catch (IOException | UnsupportedOperationException e) {
                return Supervisor.notStarted(FailureInfo.of(FailureType.LAUNCH_FAILED,
                        "could not write the prompt to a private file: " + e.getMessage()), redaction, "");
            }
        }
        try {
            return launchAgent(request, observer, adapter, promptFile, workingDirectory, redaction);
        } catch (RuntimeException e) {
            // An adapter that fails to build its command line must not leave the prompt behind.
            if (promptFile != null) {
                promptFile.close();
            }
            throw e;
        }
    }

    private RunningAgent launchAgent(RunRequest request, RunObserver observer, CliAdapter adapter,
            PromptFile promptFile, Path workingDirectory, Redaction redaction) {
        AgentProfile profile = request.agent();
        List<String> argv = adapter.argv(profile, request.mode(), request.bypassPermissions(),
                promptFile == null ? null : promptFile.path());
        ProgramLookup program = lookUp(argv, request.environment(), workingDirectory);
        if (!program.found()) {
            if (promptFile != null) {
                promptFile.close();
            }
            return Supervisor.notStarted(program.failure(), redaction, "");
        }
        String version = agentVersion(adapter, request, workingDirectory, redaction);
        return supervisor.launch(new Launch(Launch.Purpose.AGENT, resolved(argv, program), workingDirectory,
                environment(request.environment(), request.marker()), request.marker(),
                promptFile == null ? request.prompt().getBytes(StandardCharsets.UTF_8) : null,
                request.timeout(), request.idleTimeout(), redaction, adapter.newReader(), request.maxCost(),
                profile.costPer1kTokens(), observer, version, promptFile));
    }

    @Override
    public RunningAgent verify(VerifyRequest request) {
        Redaction redaction = Redaction.of(request.secrets());
        Path workingDirectory = request.workingDirectory().toAbsolutePath();
        FailureInfo badDirectory = checkWorkingDirectory(workingDirectory);
        if (badDirectory != null) {
            return Supervisor.notStarted(badDirectory, redaction, "");
        }
        ProgramLookup program = lookUp(request.argv(), request.environment(), workingDirectory);
        if (!program.found()) {
            return Supervisor.notStarted(program.failure(), redaction, "");
        }
        // A verification has no idle limit of its own: a test suite may be silent for as long as it may run.
        return supervisor.launch(new Launch(Launch.Purpose.VERIFY, resolved(request.argv(), program),
                workingDirectory, environment(request.environment(), request.marker()), request.marker(), null,
                request.timeout(), request.timeout(), redaction, null, null, 0, RunObserver.NONE, "", null));
    }

    @Override
    public int sweep(String markerPrefix) {
        Objects.requireNonNull(markerPrefix, "markerPrefix");
        return supervisor.sweep(marker -> marker.startsWith(markerPrefix));
    }

    private static FailureInfo checkWorkingDirectory(Path directory) {
        if (!Files.exists(directory)) {
            return FailureInfo.of(FailureType.INVALID_TASK, "the working directory " + directory + " does not exist");
        }
        if (!Files.isDirectory(directory)) {
            return FailureInfo.of(FailureType.INVALID_TASK,
                    "the working directory " + directory + " is not a directory");
        }
        if (!Files.isWritable(directory)) {
            return FailureInfo.of(FailureType.INVALID_TASK,
                    "the working directory " + directory + " is not writable");
        }
        return null;
    }

    private static ProgramLookup lookUp(List<String> argv, Map<String, String> environment, Path workingDirectory) {
        if (argv.isEmpty()) {
            return new ProgramLookup(null, FailureInfo.of(FailureType.LAUNCH_FAILED, "the command is empty"));
        }
        return ProgramLookup.resolve(argv.get(0), environment, workingDirectory);
    }

    private static List<String> resolved(List<String> argv, ProgramLookup program) {
        List<String> command = new ArrayList<>(argv);
        command.set(0, program.program().toString());
        return command;
    }

    /** Exactly the variables asked for, and the marker, which nothing may override. */
    private static Map<String, String> environment(Map<String, String> requested, String marker) {
        Map<String, String> environment = new HashMap<>(requested);
        environment.put(RunRequest.MARKER_VARIABLE, marker);
        return environment;
    }

    /**
     * What the agent's CLI says its version is: the first non-empty line it prints for its version argv, asked
     * once per argv for the runner's life. Empty when the adapter has no way to ask or the probe fails.
     */
    private String agentVersion(CliAdapter adapter, RunRequest request, Path workingDirectory, Redaction redaction) {
        List<String> argv = List.copyOf(adapter.versionArgv(request.agent()));
        if (argv.isEmpty()) {
            return "";
        }
        CompletableFuture<String> mine = new CompletableFuture<>();
        CompletableFuture<String> known = versions.putIfAbsent(argv, mine);
        if (known != null) {
            return known.join();
        }
        String version = null;
        try {
            version = probeVersion(argv, request, workingDirectory, redaction);
        } finally {
            if (version == null) {
                // Not even started (the program is missing, say), or the probe failed: ask again next time, and
                // let every run waiting for this answer go on without one.
                versions.remove(argv, mine);
                mine.complete("");
            } else {
                mine.complete(version);
            }
        }
        return version;
    }

    /** The version, empty when the probe failed, {@code null} when it could not start. */
    private String probeVersion(List<String> argv, RunRequest request, Path workingDirectory, Redaction redaction) {
        ProgramLookup program = ProgramLookup.resolve(argv.get(0), request.environment(), workingDirectory);
        if (!program.found()) {
            return null;
        }
        String marker = request.marker() + VERSION_MARKER_SUFFIX;
        RunningAgent probe = supervisor.launch(new Launch(Launch.Purpose.VERSION, resolved(argv, program),
                workingDirectory, environment(request.environment(), marker), marker, null,
                settings.versionTimeout(), settings.versionTimeout(), redaction, null, null, 0, RunObserver.NONE, "",
                null));
        RunResult result;
        try {
            result = probe.await();
        } catch (InterruptedException e) {
            probe.stop(FailureType.CANCELLED);
            Thread.currentThread().interrupt();
            return null;
        }
        if (result.exitCode() == null && result.failure() != null
                && result.failure().type() == FailureType.LAUNCH_FAILED) {
            return null;
        }
        if (!result.succeeded()) {
            return "";
        }
        String line = firstLine(result.stdout().text());
        return line.isEmpty() ? firstLine(result.stderr().text()) : line;
    }

    private static String firstLine(String text) {
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                return line.trim();
            }
        }
        return "";
    }
}
