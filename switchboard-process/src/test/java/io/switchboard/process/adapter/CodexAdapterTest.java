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

class CodexAdapterTest {
    private static final String FOLDER = "codex";
    /** 10:00 in Paris when the clock says 09:00 UTC. */
    private final CliAdapter adapter = new CodexAdapter(new TimeBase(new MutableClock(), ZoneId.of("Europe/Paris")));

    @ParameterizedTest(name = "{0}, bypass {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            plan      | false | codex exec --json --sandbox read-only -
            plan      | true  | codex exec --json --sandbox read-only -
            auto      | false | codex exec --json --sandbox workspace-write -
            auto      | true  | codex exec --json --sandbox workspace-write -
            full-auto | false | codex exec --json --sandbox workspace-write -
            full-auto | true  | codex exec --json --dangerously-bypass-approvals-and-sandbox -
            """)
    void argvPerMode(String mode, boolean bypass, String expected) {
        List<String> argv = adapter.argv(AgentOutput.profile(Adapter.CODEX), Mode.fromConfigName(mode).orElseThrow(),
                bypass, null);

        assertThat(argv).containsExactly(expected.split(" "));
    }

    @Test
    void aConfiguredCommandReplacesTheProgramAndTheModeFlagsComeLast() {
        AgentProfile profile = AgentOutput.withCommand(AgentBuilder.anAgent("codex-cli")
                .withModeFlags(Mode.AUTO, "--model", "gpt-5-codex", "--skip-git-repo-check").profile(),
                "/opt/codex/bin/codex");

        assertThat(adapter.argv(profile, Mode.AUTO, false, null)).containsExactly("/opt/codex/bin/codex", "exec",
                "--json", "--sandbox", "workspace-write", "-", "--model", "gpt-5-codex", "--skip-git-repo-check");
        assertThat(adapter.versionArgv(profile)).containsExactly("/opt/codex/bin/codex", "--version");
    }

    @Test
    void thePromptGoesOnStandardInput() {
        AgentProfile profile = AgentOutput.profile(Adapter.CODEX);

        assertThat(adapter.promptDelivery(profile)).isEqualTo(CliAdapter.PromptDelivery.STDIN);
        assertThat(adapter.versionArgv(profile)).containsExactly("codex", "--version");
    }

    @Test
    void successReadsTheThreadTheLastAgentMessageAndTheTurnsUsage() {
        Run run = AgentOutput.read(adapter, FOLDER, "success", 0);

        assertThat(run.progress()).containsExactly(new Usage(24_763, 1_122, null));
        Reading reading = run.reading();
        assertThat(reading.failure()).isNull();
        assertThat(reading.sessionId()).isEqualTo("019b8f2e-4c1a-7d33-9e5b-6a2f0c8d1e47");
        assertThat(reading.summary())
                .isEqualTo("Limiter.allow now takes a token from the bucket and refuses when it is empty.");
        assertThat(reading.usage()).isEqualTo(new Usage(24_763, 1_122, null));
    }

    @Test
    void aFailedTurnIsAnAgentErrorWithItsMessage() {
        Reading reading = AgentOutput.read(adapter, FOLDER, "error", 1).reading();

        assertThat(reading.failure().type()).isEqualTo(FailureType.AGENT_ERROR);
        assertThat(reading.failure().message()).isEqualTo(
                "stream disconnected before completion: error sending request for url "
                        + "(https://chatgpt.com/backend-api/codex/responses)");
        assertThat(reading.sessionId()).isEqualTo("019b8f31-0d7e-7a90-b2c4-3e5f6a7b8c9d");
    }

    @Test
    void theUsageLimitIsAQuotaThatResetsAtTheLocalTimeCodexNames() {
        Reading reading = AgentOutput.read(adapter, FOLDER, "usage-limit", 1).reading();

        assertThat(reading.failure().type()).isEqualTo(FailureType.QUOTA);
        assertThat(reading.failure().message()).startsWith("You've hit your usage limit.")
                .endsWith("try again at 3:28 PM.");
        // 3:28 PM in Paris, 14:28 UTC, later the same day.
        assertThat(reading.failure().resetAt()).isEqualTo(Instant.parse("2026-01-05T14:28:00Z"));
    }

    @Test
    void aTooManyRequestsStatusIsARateLimit() {
        Reading reading = AgentOutput.read(adapter, FOLDER, "rate-limit", 1).reading();

        assertThat(reading.failure().type()).isEqualTo(FailureType.RATE_LIMIT);
        assertThat(reading.failure().message()).startsWith("exceeded retry limit, last status: 429 Too Many Requests");
        assertThat(reading.failure().resetAt()).isNull();
    }

    @Test
    void anUnauthorizedStatusIsNotLoggedIn() {
        Reading reading = AgentOutput.read(adapter, FOLDER, "not-logged-in", 1).reading();

        assertThat(reading.failure().type()).isEqualTo(FailureType.NOT_LOGGED_IN);
        assertThat(reading.failure().message()).startsWith("unexpected status 401 Unauthorized");
    }

    @Test
    void humanOutputInsteadOfJsonIsMalformedAndKeptInTheDetail() {
        Reading reading = AgentOutput.read(adapter, FOLDER, "malformed", 0).reading();

        assertThat(reading.failure().type()).isEqualTo(FailureType.MALFORMED_OUTPUT);
        assertThat(reading.failure().message())
                .isEqualTo("codex printed output that is not its JSON: OpenAI Codex v0.20.0 (research preview)");
        assertThat(reading.failure().detail()).startsWith("OpenAI Codex v0.20.0 (research preview)\n--------\n")
                .contains("tokens used: 3204");
    }

    @Test
    void withNothingOnStandardOutputTheLastLineOfStandardErrorSaysWhy() {
        Reading reading = AgentOutput.read(adapter, FOLDER, "not-a-git-repo", 1).reading();

        assertThat(reading.failure().type()).isEqualTo(FailureType.EXIT_CODE);
        assertThat(reading.failure().message()).isEqualTo("codex exited with status 1: Not inside a trusted directory "
                + "and --skip-git-repo-check was not specified.");
    }

    @Test
    void anErrorCodexRecoversFromDoesNotFailTheRun() {
        List<String> lines = List.of(
                "{\"type\":\"thread.started\",\"thread_id\":\"t-1\"}",
                "{\"type\":\"error\",\"message\":\"Reconnecting... 1/5 (stream disconnected before completion)\"}",
                "{\"type\":\"item.completed\",\"item\":{\"id\":\"item_0\",\"type\":\"agent_message\",\"text\":\"Done.\"}}",
                "{\"type\":\"turn.completed\",\"usage\":{\"input_tokens\":100,\"cached_input_tokens\":0,"
                        + "\"output_tokens\":20}}");

        Reading reading = AgentOutput.read(adapter, lines, "", 0).reading();

        assertThat(reading.failure()).isNull();
        assertThat(reading.summary()).isEqualTo("Done.");
    }

    @Test
    void anErrorWithNoTurnToEndIsTheRunsFailure() {
        List<String> lines = List.of(
                "{\"type\":\"thread.started\",\"thread_id\":\"t-2\"}",
                "{\"type\":\"error\",\"message\":\"You've hit your usage limit. Try again later.\"}");

        Reading reading = AgentOutput.read(adapter, lines, "", 1).reading();

        assertThat(reading.failure().type()).isEqualTo(FailureType.QUOTA);
        assertThat(reading.failure().resetAt()).isNull();
    }

    @Test
    void aFailedTurnWithoutAReasonTakesItFromStandardError() {
        List<String> lines = List.of(
                "{\"type\":\"thread.started\",\"thread_id\":\"t-3\"}",
                "{\"type\":\"turn.failed\",\"error\":{}}");

        Reading reading = AgentOutput.read(adapter, lines,
                "2026-01-05T09:00:00Z ERROR codex_exec: You've hit your usage limit. Try again in 2 hours.\n", 1)
                .reading();

        assertThat(reading.failure().type()).isEqualTo(FailureType.QUOTA);
        assertThat(reading.failure().message()).endsWith("You've hit your usage limit. Try again in 2 hours.");
        assertThat(reading.failure().resetAt()).isEqualTo(Instant.parse("2026-01-05T11:00:00Z"));
    }
}
