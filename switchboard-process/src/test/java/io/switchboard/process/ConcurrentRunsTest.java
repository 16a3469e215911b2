package io.switchboard.process;

import static io.switchboard.process.AgentRunBuilder.anAgentRun;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.execution.RunObserver;
import io.switchboard.core.execution.RunRequest;
import io.switchboard.core.execution.RunResult;
import io.switchboard.testkit.agent.FakeAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One runner, many runs at once. */
class ConcurrentRunsTest {
    private static final int RUNS = 8;

    @TempDir
    Path dir;

    @Test
    void runsStartedTogetherKeepTheirOwnOutputAndMarkerAndShareOneVersionProbe() throws Exception {
        Path versionLog = dir.resolve("version.log");
        RecordingAdapter adapter = RecordingAdapter.withVersion(FakeAgent.command("--log", versionLog.toString(),
                "print", "v2"));
        LocalAgentRunner runner = new LocalAgentRunner(RunnerSettings.defaults(), kind -> adapter);
        List<RunRequest> requests = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            requests.add(anAgentRun("print", "run " + i, "print-env", "SWITCHBOARD_ATTEMPT", "double-fork", "60000")
                    .in(dir).build());
        }

        List<RunResult> results = new ArrayList<>();
        try (ExecutorService callers = Executors.newFixedThreadPool(RUNS)) {
            List<Future<RunResult>> futures = new ArrayList<>();
            for (RunRequest request : requests) {
                futures.add(callers.submit(() -> runner.start(request, RunObserver.NONE).await()));
            }
            for (Future<RunResult> future : futures) {
                results.add(future.get());
            }
        }

        for (int i = 0; i < RUNS; i++) {
            RunResult result = results.get(i);
            assertThat(result.failure()).isNull();
            assertThat(result.agentVersion()).isEqualTo("v2");
            assertThat(result.stdout().text()).startsWith("run " + i + "\n" + requests.get(i).marker() + "\n");
            assertThat(Processes.running(Processes.numberAfter("descendant", result.stdout().text()))).isFalse();
            assertThat(Processes.carrying(requests.get(i).marker())).isEmpty();
        }
        assertThat(Files.readAllLines(versionLog)).hasSize(1);
    }
}
