package io.switchboard.process;

import static io.switchboard.process.AgentRunBuilder.anAgentRun;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.execution.RunObserver;
import io.switchboard.core.execution.RunRequest;
import io.switchboard.core.execution.RunResult;
import io.switchboard.process.adapter.CommandAdapter;
import io.switchboard.testkit.agent.FakeAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Before an agent's first run its version is asked for, once, and reported with every result. */
class AgentVersionTest {
    @TempDir
    Path dir;

    @Test
    void theVersionIsTheFirstNonEmptyLineTheVersionCommandPrints() throws Exception {
        RecordingAdapter adapter = RecordingAdapter.withVersion(FakeAgent.command("print", "", "print",
                "  fake-agent 1.2.3 (build 42)  ", "print", "more"));

        RunResult result = run(adapter, anAgentRun("ok").in(dir).build());

        assertThat(result.agentVersion()).isEqualTo("fake-agent 1.2.3 (build 42)");
    }

    @Test
    void theVersionIsAskedOnceForTheRunnersLifeUnderItsOwnMarker() throws Exception {
        Path log = dir.resolve("version.log");
        RecordingAdapter adapter = RecordingAdapter.withVersion(FakeAgent.command("--log", log.toString(), "print",
                "v9"));
        LocalAgentRunner runner = new LocalAgentRunner(RunnerSettings.defaults(), kind -> adapter);
        RunRequest first = anAgentRun("ok").in(dir).build();

        RunResult one = runner.start(first, RunObserver.NONE).await();
        RunResult two = runner.start(anAgentRun("ok").in(dir).build(), RunObserver.NONE).await();

        assertThat(one.agentVersion()).isEqualTo("v9");
        assertThat(two.agentVersion()).isEqualTo("v9");
        assertThat(Files.readAllLines(log)).singleElement().asString()
                .startsWith("marker=" + first.marker() + LocalAgentRunner.VERSION_MARKER_SUFFIX + " ");
    }

    @Test
    void anAgentWithNoVersionCommandHasAnEmptyVersion() throws Exception {
        RunResult result = new LocalAgentRunner(RunnerSettings.defaults(), kind -> new CommandAdapter())
                .start(anAgentRun("ok").in(dir).build(), RunObserver.NONE).await();

        assertThat(result.agentVersion()).isEmpty();
    }

    @Test
    void aFailingVersionCommandGivesAnEmptyVersionAndTheRunGoesOn() throws Exception {
        RecordingAdapter adapter = RecordingAdapter.withVersion(FakeAgent.command("print", "v1", "exit", "2"));

        RunResult result = run(adapter, anAgentRun("ok").in(dir).build());

        assertThat(result.succeeded()).isTrue();
        assertThat(result.agentVersion()).isEmpty();
    }

    @Test
    void aVersionCommandThatIsNotInstalledGivesAnEmptyVersion() throws Exception {
        RecordingAdapter adapter = RecordingAdapter.withVersion(List.of("no-such-cli", "--version"));

        RunResult result = run(adapter, anAgentRun("ok").in(dir).build());

        assertThat(result.succeeded()).isTrue();
        assertThat(result.agentVersion()).isEmpty();
    }

    private static RunResult run(RecordingAdapter adapter, RunRequest request) throws InterruptedException {
        return new LocalAgentRunner(RunnerSettings.defaults(), kind -> adapter).start(request, RunObserver.NONE)
                .await();
    }
}
