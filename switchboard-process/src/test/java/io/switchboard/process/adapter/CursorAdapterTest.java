package io.switchboard.process.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.agent.Adapter;
import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.agent.Mode;
import io.switchboard.core.execution.FailureType;
import io.switchboard.core.execution.Usage;
import io.switchboard.process.adapter.AgentOutput.Run;
import io.switchboard.testkit.AgentBuilder;
import io.switchboard.testkit.MutableClock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CursorAdapterTest {
    private static final String FOLDER = "cursor";
    private final CliAdapter adapter = new CursorAdapter(new TimeBase(new MutableClock(), ZoneId.of("Europe/Paris")));

    @ParameterizedTest(name = "{0}, bypass {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            plan      | false | cursor-agent -p --output-format stream-json --trust --mode plan
            plan      | true  | cursor-agent -p --output-format stream-json --trust --mode plan
            auto      | false | cursor-agent -p --output-format stream-json --trust
            auto      | true  | cursor-agent -p --output-format stream-json --trust
            full-auto | false | cursor-agent -p --output-format stream-json --trust
            full-auto | true  | cursor-agent -p --output-format stream-json --trust --force
            """)
    void argvPerMode(String mode, boolean bypass, String expected) {
        List<String> argv = adapter.argv(AgentOutput.profile(Adapter.CURSOR), Mode.fromConfigName(mode).orElseThrow(),
                bypass, null);

        assertThat(argv).containsExactly(expected.split(" "));
    }

    @Test
    void aConfiguredCommandReplacesTheProgramAndTheModeFlagsComeLast() {
        AgentProfile profile = AgentOutput.withCommand(
                AgentBuilder.anAgent("cursor").withModeFlags(Mode.AUTO, "--model", "gpt-5").profile(), "agent");

        assertThat(adapter.argv(profile, Mode.AUTO, false, null)).containsExactly("agent", "-p", "--output-format",
                "stream-json", "--trust", "--model", "gpt-5");
        assertThat(adapter.versionArgv(profile)).containsExactly("agent", "--version");
    }

    @Test
    void thePromptGoesOnStandardInput() {
        AgentProfile profile = AgentOutput.profile(Adapter.CURSOR);

        assertThat(adapter.promptDelivery(profile)).isEqualTo(CliAdapter.PromptDelivery.STDIN);
        assertThat(adapter.versionArgv(profile)).containsExactly("cursor-agent", "--version");
    }

    @Test
    void successReadsTheResultItsSessionAndItsTokens() {
        Run run = AgentOutput.read(adapter, FOLDER, "success", 0);

        // Input, cache reads and cache writes in; no cost: Cursor does not report one.
        assertThat(run.progress()).containsExactly(new Usage(20_920, 208, null));
        Reading reading = run.reading();
        assertThat(reading.failure()).isNull();
        assertThat(reading.sessionId()).isEqualTo("e4b7c2a9-6d1f-4e38-9a5c-3b2d1e0f9a8c");
        assertThat(reading.summary()).isEqualTo("I'll read the limiter.Limiter.allow now takes a token from the bucket.");
        assertThat(reading.usage()).isEqualTo(new Usage(20_920, 208, null));
    }

    @Test
    void aResultWithoutUsageIsStillASuccess() {
        List<String> lines = List.of("{\"type\":\"result\",\"subtype\":\"success\",\"duration_ms\":4828,"
                + "\"is_error\":false,\"result\":\"ok\",\"session_id\":\"s-1\",\"request_id\":\"r-1\"}");

        Run run = AgentOutput.read(adapter, lines, "", 0);

        assertThat(run.progress()).isEmpty();
        assertThat(run.reading().failure()).isNull();
        assertThat(run.reading().usage()).isEqualTo(Usage.NONE);
        assertThat(run.reading().summary()).isEqualTo("ok");
    }

    @Test
    void aStreamThatStopsEarlyFailsOnItsStatusWithStandardErrorsLastLine() {
        Reading reading = AgentOutput.read(adapter, FOLDER, "error", 1).reading();

        assertThat(reading.failure().type()).isEqualTo(FailureType.EXIT_CODE);
        assertThat(reading.failure().message()).isEqualTo("cursor-agent exited with status 1: Error: [unavailable] "
                + "upstream connect error or disconnect/reset before headers. reset reason: connection termination");
        assertThat(reading.sessionId()).isEqualTo("7a2c9e1b-4f6d-4b83-a0e5-2c1b0a9f8e7d");
    }

    @Test
    void anErrorResultIsAnAgentError() {
        Reading reading = AgentOutput.read(adapter, FOLDER, "error-result", 1).reading();

        assertThat(reading.failure().type()).isEqualTo(FailureType.AGENT_ERROR);
        assertThat(reading.failure().message())
                .isEqualTo("The model returned an error. Try disabling MCP servers, or switch models.");
    }

    @Test
    void theUsageLimitIsAQuotaThatResetsWhenTheMonthlyCycleEnds() {
        Reading reading = AgentOutput.read(adapter, FOLDER, "usage-limit", 1).reading();

        assertThat(reading.failure().type()).isEqualTo(FailureType.QUOTA);
        assertThat(reading.failure().message()).startsWith("Error: You've hit your usage limit");
        // Midnight on 1 February in the machine's zone (Paris, UTC+1).
        assertThat(reading.failure().resetAt()).isEqualTo(Instant.parse("2026-01-31T23:00:00Z"));
    }

    @Test
    void authenticationRequiredOnStandardErrorIsNotLoggedIn() {
        Reading reading = AgentOutput.read(adapter, FOLDER, "not-logged-in", 1).reading();

        assertThat(reading.failure().type()).isEqualTo(FailureType.NOT_LOGGED_IN);
        assertThat(reading.failure().message()).isEqualTo("Error: Authentication required. Please run 'agent login' "
                + "first, or set CURSOR_API_KEY environment variable.");
    }

    @Test
    void textAmongTheEventsAndNoResultIsMalformed() {
        Reading reading = AgentOutput.read(adapter, FOLDER, "malformed", 0).reading();

        assertThat(reading.failure().type()).isEqualTo(FailureType.MALFORMED_OUTPUT);
        assertThat(reading.failure().detail()).startsWith("I'll read the limiter.\nLimiter.allow now takes a token")
                .endsWith("\"is_er");
        assertThat(reading.sessionId()).isEqualTo("5c0d2e7f-8a1b-4c93-9e6d-4a5b6c7d8e9f");
    }

    @Test
    void theWorkspaceTrustRefusalIsALaunchFailureEvenThoughItExitsZero() {
        Reading reading = AgentOutput.read(adapter, FOLDER, "workspace-trust", 0).reading();

        assertThat(reading.failure().type()).isEqualTo(FailureType.LAUNCH_FAILED);
        assertThat(reading.failure().message())
                .isEqualTo("cursor-agent refused to run: the working folder is not a trusted workspace");
        assertThat(reading.failure().detail()).startsWith("⚠ Workspace Trust Required");
    }
}
