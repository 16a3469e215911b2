package io.switchboard.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.agent.Adapter;
import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.agent.Availability;
import io.switchboard.core.agent.Mode;
import io.switchboard.core.execution.FailureType;
import io.switchboard.core.execution.RunObserver;
import io.switchboard.core.execution.RunRequest;
import io.switchboard.core.execution.RunResult;
import io.switchboard.process.adapter.Adapters;
import io.switchboard.testkit.agent.FakeAgent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each real adapter reading what its CLI prints, end to end: the fake agent prints a recorded output as a real
 * process (stdout, stderr, exit status), the local runner supervises it, and the adapter judges the run.
 */
class AdapterOutputThroughRunnerTest {
    @TempDir
    Path dir;

    private final LocalAgentRunner runner = new LocalAgentRunner(RunnerSettings.defaults(), Adapters::of);

    @ParameterizedTest(name = "{0} {1} (exit {3}) -> {4}")
    @CsvSource({
        "claude-code, success, success.jsonl, 0, ",
        "claude-code, usage-limit, usage-limit.jsonl, 1, QUOTA",
        "claude-code, not-logged-in, not-logged-in.jsonl, 1, NOT_LOGGED_IN",
        "claude-code, malformed, malformed.jsonl, 0, MALFORMED_OUTPUT",
        "codex, success, success.jsonl, 0, ",
        "codex, usage-limit, usage-limit.jsonl, 1, QUOTA",
        "codex, not-logged-in, not-logged-in.jsonl, 1, NOT_LOGGED_IN",
        "gemini, success, success.json, 0, ",
        "gemini, not-logged-in, , 41, NOT_LOGGED_IN",
        "cursor, success, success.jsonl, 0, ",
        "aider, success, success.txt, 0, ",
    })
    void the_adapter_judges_what_its_cli_printed(String adapter, String sample, String stdout, int exit,
            FailureType expected) throws IOException {
        List<String> steps = new ArrayList<>();
        if (stdout != null) {
            steps.addAll(List.of("emit-resource", adapter + "/" + stdout));
        }
        String stderr = resource(adapter + "/" + sample + ".stderr.txt");
        if (stderr != null) {
            steps.addAll(List.of("stderr", stderr));
        }
        // "exit" ends the fake agent, so the adapter's own flags that follow on the command line are never read.
        steps.addAll(List.of("exit", Integer.toString(exit)));
        AgentProfile profile = new AgentProfile("agent", Adapter.fromConfigName(adapter).orElseThrow(), null, null,
                List.of(), List.of(), List.of(), List.of(), 0.01, AgentProfile.DEFAULT_CONTEXT_LIMIT,
                Availability.LOCAL, 1, Map.of(), FakeAgent.command(steps.toArray(String[]::new)));

        RunResult result = run(profile);

        if (expected == null) {
            assertThat(result.failure()).as(result.toString()).isNull();
            assertThat(result.usage().totalTokens()).isPositive();
        } else {
            assertThat(result.failure()).as(result.toString()).isNotNull();
            assertThat(result.failure().type()).isEqualTo(expected);
        }
        if (expected == FailureType.QUOTA) {
            assertThat(result.failure().resetAt()).isNotNull();
        }
    }

    private RunResult run(AgentProfile profile) {
        RunRequest request = new RunRequest("task-1", 1, profile, Mode.AUTO, "Do the thing.", dir,
                Map.of("PATH", AgentRunBuilder.PATH), Set.of(), Duration.ofSeconds(60), Duration.ofSeconds(30), null,
                "test-" + UUID.randomUUID(), false);
        try {
            return runner.start(request, RunObserver.NONE).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = FakeAgent.class.getResourceAsStream(FakeAgent.RESOURCES + name)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
