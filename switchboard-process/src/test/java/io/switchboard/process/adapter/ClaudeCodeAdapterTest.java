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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClaudeCodeAdapterTest {
    private static final String FOLDER = "claude-code";
    private final CliAdapter adapter = new ClaudeCodeAdapter(new TimeBase(new MutableClock(), ZoneId.of("Europe/Paris")));

    @ParameterizedTest(name = "{0}, bypass {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            plan      | false | claude -p --output-format stream-json --verbose --permission-mode plan
            plan      | true  | claude -p --output-format stream-json --verbose --permission-mode plan
            auto      | false | claude -p --output-format stream-json --verbose --permission-mode acceptEdits
            auto      | true  | claude -p --output-format stream-json --verbose --permission-mode acceptEdits
            full-auto | false | claude -p --output-format stream-json --verbose --permission-mode acceptEdits
            full-auto | true  | claude -p --output-format stream-json --verbose --dangerously-skip-permissions
            """)
    void argvPerMode(String mode, boolean bypass, String expected) {
        List<String> argv = adapter.argv(AgentOutput.profile(Adapter.CLAUDE_CODE), Mode.fromConfigName(mode).orElseThrow(),
                bypass, null);

        assertThat(argv).containsExactly(expected.split(" "));
    }

    @Test
    void aConfiguredCommandReplacesTheProgramAndTheModeFlagsComeLast() {
        AgentProfile profile = AgentOutput.withCommand(
                AgentBuilder.anAgent("claude-code").withModeFlags(Mode.FULL_AUTO, "--model", "opus").profile(),
                "npx", "@anthropic-ai/claude-code");

        assertThat(adapter.argv(profile, Mode.FULL_AUTO, true, null)).containsExactly("npx",
                "@anthropic-ai/claude-code", "-p", "--output-format", "stream-json", "--verbose",
                "--dangerously-skip-permissions", "--model", "opus");
        assertThat(adapter.argv(profile, Mode.PLAN, false, null)).containsExactly("npx", "@anthropic-ai/claude-code",
                "-p", "--output-format", "stream-json", "--verbose", "--permission-mode", "plan");
        assertThat(adapter.versionArgv(profile)).containsExactly("npx", "@anthropic-ai/claude-code", "--version");
    }

    @Test
    void thePromptGoesOnStandardInputAndTheVersionIsAskedWithDashDashVersion() {
        AgentProfile profile = AgentOutput.profile(Adapter.CLAUDE_CODE);

        assertThat(adapter.promptDelivery(profile)).isEqualTo(CliAdapter.PromptDelivery.STDIN);
        assertThat(adapter.versionArgv(profile)).containsExactly("claude", "--version");
    }

    @Test
    void successReportsUsageAsItGoesThenTheResultsCostTokensSessionAndAnswer() {
        Run run = AgentOutput.read(adapter, FOLDER, "success", 0);

        // The second line of the first message repeats its usage with more output: counted once, not twice.
        assertThat(run.progress()).startsWith(new Usage(17_963, 9, null), new Usage(17_963, 84, null));
        assertThat(run.progress()).contains(new Usage(54_732, 248, null));
        Reading reading = run.reading();
        assertThat(reading.failure()).isNull();
        assertThat(reading.sessionId()).isEqualTo("4f9d2c1e-7b3a-4e58-9c61-2d8e5a0b7f43");
        assertThat(reading.summary())
                .isEqualTo("The limiter now takes a token from the bucket on every call instead of always allowing.");
        // Per model: the main model's tokens with its cache reads and writes, plus the small model's.
        assertThat(reading.usage()).isEqualTo(new Usage(55_942, 298, 0.0468114));
        assertThat(run.progress().get(run.progress().size() - 1)).isEqualTo(reading.usage());
    }

    @Test
    void anErrorResultIsAnAgentErrorWithItsMessageAndWhatItSpent() {
        Reading reading = AgentOutput.read(adapter, FOLDER, "error", 1).reading();

        assertThat(reading.failure().type()).isEqualTo(FailureType.AGENT_ERROR);
        assertThat(reading.failure().message()).startsWith("API Error: 529 ").contains("overloaded_error");
        assertThat(reading.usage()).isEqualTo(new Usage(17_823, 12, 0.0261402));
        assertThat(reading.sessionId()).isEqualTo("9b2e6f10-3c7d-4a21-8e5f-6d4c3b2a1f09");
        assertThat(reading.summary()).isEmpty();
    }

    @Test
    void theRejectedRateLimitEventMakesAQuotaThatResetsWhenTheEventSays() {
        Reading reading = AgentOutput.read(adapter, FOLDER, "usage-limit", 1).reading();

        assertThat(reading.failure().type()).isEqualTo(FailureType.QUOTA);
        assertThat(reading.failure().message()).isEqualTo("You've hit your limit · resets 5pm (Europe/Brussels)");
        assertThat(reading.failure().resetAt()).isEqualTo(Instant.parse("2026-01-05T16:00:00Z"));
        assertThat(reading.failure().nonRetryable()).isFalse();
    }

    @Test
    void aLimitMessageWithoutTheEventStillResetsAtTheTimeItNames() {
        List<String> lines = new ArrayList<>(AgentOutput.stdout(FOLDER, "usage-limit"));
        lines.removeIf(line -> line.contains("rate_limit_event"));

        Reading reading = AgentOutput.read(adapter, lines, "", 1).reading();

        assertThat(reading.failure().type()).isEqualTo(FailureType.QUOTA);
        assertThat(reading.failure().resetAt()).isEqualTo(Instant.parse("2026-01-05T16:00:00Z"));
    }

    @Test
    void anInvalidApiKeyIsNotLoggedIn() {
        Reading reading = AgentOutput.read(adapter, FOLDER, "not-logged-in", 1).reading();

        assertThat(reading.failure().type()).isEqualTo(FailureType.NOT_LOGGED_IN);
        assertThat(reading.failure().message()).isEqualTo("Invalid API key · Please run /login");
        assertThat(reading.failure().resetAt()).isNull();
        assertThat(reading.usage()).isEqualTo(new Usage(0, 0, 0.0));
    }

    @Test
    void theTurnLimitIsAnAgentErrorNamedByItsErrors() {
        Reading reading = AgentOutput.read(adapter, FOLDER, "max-turns", 1).reading();

        assertThat(reading.failure().type()).isEqualTo(FailureType.AGENT_ERROR);
        assertThat(reading.failure().message()).isEqualTo("Reached maximum number of turns (1)");
        assertThat(reading.usage()).isEqualTo(new Usage(17_847, 57, 0.0277443));
    }

    @Test
    void claudesOwnBudgetCapIsABudgetFailure() {
        String result = "{\"type\":\"result\",\"subtype\":\"error_max_budget_usd\",\"is_error\":true,"
                + "\"session_id\":\"s-1\",\"total_cost_usd\":0.51,\"usage\":{\"input_tokens\":10,\"output_tokens\":5}}";

        Reading reading = AgentOutput.read(adapter, List.of(result), "", 1).reading();

        assertThat(reading.failure().type()).isEqualTo(FailureType.BUDGET);
        assertThat(reading.usage()).isEqualTo(new Usage(10, 5, 0.51));
    }

    @Test
    void outputThatIsNotJsonAndNoResultIsMalformedAndKeptInTheDetail() {
        Reading reading = AgentOutput.read(adapter, FOLDER, "malformed", 0).reading();

        assertThat(reading.failure().type()).isEqualTo(FailureType.MALFORMED_OUTPUT);
        assertThat(reading.failure().message()).startsWith("claude printed output that is not its JSON: The limiter");
        assertThat(reading.failure().detail())
                .startsWith("The limiter always allows every request")
                .contains("{\"type\":\"assistant\",\"message\"");
        assertThat(reading.sessionId()).isEqualTo("8d1c6e4f-2a7b-4f39-8e6d-5c4b3a2f1e07");
    }

    @Test
    void withNothingOnStandardOutputTheStatusAndStandardErrorSayWhatHappened() {
        Reading reading = AgentOutput.read(adapter, FOLDER, "stream-json-without-verbose", 1).reading();

        assertThat(reading.failure().type()).isEqualTo(FailureType.EXIT_CODE);
        assertThat(reading.failure().message()).isEqualTo(
                "claude exited with status 1: Error: When using --print, --output-format=stream-json requires --verbose");
    }

    @Test
    void aSuccessfulResultWithAFailingStatusIsAnExitCodeFailure() {
        Reading reading = AgentOutput.read(adapter, FOLDER, "success", 2).reading();

        assertThat(reading.failure().type()).isEqualTo(FailureType.EXIT_CODE);
        assertThat(reading.failure().message()).isEqualTo("claude reported success but exited with status 2");
    }

    @Test
    void aResultLineCutAtTheLineCapStillEndsTheRunWithWhatCanBeRead() {
        OutputReader reader = adapter.newReader();
        List<String> lines = AgentOutput.stdout(FOLDER, "success");
        lines.subList(0, lines.size() - 1).forEach(line -> reader.line(line, false));
        String result = lines.get(lines.size() - 1);
        String cut = result.substring(0, result.indexOf("\"result\":") + 20);

        reader.line(cut, true);
        Reading reading = reader.finish(0, "");

        assertThat(reading.failure()).isNull();
        assertThat(reading.usage()).isEqualTo(new Usage(54_732, 248, null));
        assertThat(reading.summary()).isEmpty();
        assertThat(reading.sessionId()).isEqualTo("4f9d2c1e-7b3a-4e58-9c61-2d8e5a0b7f43");
    }

    @Test
    void aMalformedRunKeepsABoundedDetailHoweverMuchItPrinted() {
        OutputReader reader = adapter.newReader();
        for (int line = 0; line < 10_000; line++) {
            reader.line("garbage line " + line, false);
        }

        Reading reading = reader.finish(0, "");

        assertThat(reading.failure().type()).isEqualTo(FailureType.MALFORMED_OUTPUT);
        assertThat(reading.failure().detail()).startsWith("garbage line 0\ngarbage line 1\n")
                .hasSizeLessThan(OutputSample.MAX_CHARS + 40);
    }
}
