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
import org.junit.jupiter.params.provider.ValueSource;

class GeminiAdapterTest {
    private static final String FOLDER = "gemini";
    private final CliAdapter adapter = new GeminiAdapter(new TimeBase(new MutableClock(), ZoneId.of("Europe/Paris")));

    @ParameterizedTest(name = "{0}, bypass {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            plan      | false | gemini --output-format json --approval-mode default
            plan      | true  | gemini --output-format json --approval-mode default
            auto      | false | gemini --output-format json --approval-mode auto_edit
            auto      | true  | gemini --output-format json --approval-mode auto_edit
            full-auto | false | gemini --output-format json --approval-mode auto_edit
            full-auto | true  | gemini --output-format json --approval-mode yolo
            """)
    void argvPerMode(String mode, boolean bypass, String expected) {
        List<String> argv = adapter.argv(AgentOutput.profile(Adapter.GEMINI), Mode.fromConfigName(mode).orElseThrow(),
                bypass, null);

        assertThat(argv).containsExactly(expected.split(" "));
    }

    @Test
    void aConfiguredCommandReplacesTheProgramAndTheModeFlagsComeLast() {
        AgentProfile profile = AgentOutput.withCommand(
                AgentBuilder.anAgent("gemini-cli").withModeFlags(Mode.PLAN, "--model", "gemini-2.5-flash").profile(),
                "npx", "-y", "@google/gemini-cli");

        assertThat(adapter.argv(profile, Mode.PLAN, false, null)).containsExactly("npx", "-y", "@google/gemini-cli",
                "--output-format", "json", "--approval-mode", "default", "--model", "gemini-2.5-flash");
        assertThat(adapter.versionArgv(profile)).containsExactly("npx", "-y", "@google/gemini-cli", "--version");
    }

    @Test
    void thePromptGoesOnStandardInput() {
        AgentProfile profile = AgentOutput.profile(Adapter.GEMINI);

        assertThat(adapter.promptDelivery(profile)).isEqualTo(CliAdapter.PromptDelivery.STDIN);
        assertThat(adapter.versionArgv(profile)).containsExactly("gemini", "--version");
    }

    @ParameterizedTest
    @ValueSource(strings = {"success", "success-after-notice"})
    void successReadsTheDocumentAtTheEndWithTokensOverEveryModel(String name) {
        Run run = AgentOutput.read(adapter, FOLDER, name, 0);

        // One document at the end: nothing to report while the agent runs.
        assertThat(run.progress()).isEmpty();
        Reading reading = run.reading();
        assertThat(reading.failure()).isNull();
        assertThat(reading.sessionId()).isEqualTo("c3a9e1f4-58b2-4d07-9e6a-2f1b0c8d7e65");
        assertThat(reading.summary()).isEqualTo(
                "Limiter.allow now takes a token from the bucket and returns False when the bucket is empty.");
        // Prompt tokens (cached ones included) in; candidates and thoughts out; both models.
        assertThat(reading.usage()).isEqualTo(new Usage(25_712, 2_172, null));
    }

    @Test
    void theErrorDocumentOnStandardErrorIsAnAgentError() {
        Reading reading = AgentOutput.read(adapter, FOLDER, "error", 1).reading();

        assertThat(reading.failure().type()).isEqualTo(FailureType.AGENT_ERROR);
        assertThat(reading.failure().message()).startsWith("[API Error: ").contains("Internal error encountered.");
        assertThat(reading.sessionId()).isEqualTo("7d2e9b40-1c6f-4a83-b5d2-8e0f1a2b3c4d");
    }

    @Test
    void anExhaustedCapacityIsAQuotaThatResetsAfterTheStatedTime() {
        Reading reading = AgentOutput.read(adapter, FOLDER, "usage-limit", 1).reading();

        assertThat(reading.failure().type()).isEqualTo(FailureType.QUOTA);
        assertThat(reading.failure().message()).isEqualTo(
                "You have exhausted your capacity on this model. Your quota will reset after 2h38m50s.");
        assertThat(reading.failure().resetAt()).isEqualTo(Instant.parse("2026-01-05T11:38:50Z"));
    }

    @Test
    void anExhaustedResourceIsARateLimitThatResetsAfterTheStatedDelay() {
        Reading reading = AgentOutput.read(adapter, FOLDER, "rate-limit", 1).reading();

        assertThat(reading.failure().type()).isEqualTo(FailureType.RATE_LIMIT);
        assertThat(reading.failure().resetAt()).isEqualTo(Instant.parse("2026-01-05T09:00:51.660Z"));
    }

    @Test
    void exitCode41IsNotLoggedIn() {
        Reading reading = AgentOutput.read(adapter, FOLDER, "not-logged-in", 41).reading();

        assertThat(reading.failure().type()).isEqualTo(FailureType.NOT_LOGGED_IN);
        assertThat(reading.failure().message()).isEqualTo("When using Gemini API, you must specify the GEMINI_API_KEY "
                + "environment variable. Update your environment and try again (no reload needed if using .env)!");
    }

    @Test
    void theTurnLimitIsAnAgentError() {
        Reading reading = AgentOutput.read(adapter, FOLDER, "turn-limit", 53).reading();

        assertThat(reading.failure().type()).isEqualTo(FailureType.AGENT_ERROR);
        assertThat(reading.failure().message()).startsWith("Reached max session turns for this session.");
    }

    @ParameterizedTest(name = "exit {0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            41 | NOT_LOGGED_IN | gemini could not authenticate (exit 41)
            42 | LAUNCH_FAILED | gemini rejected its input or arguments (exit 42)
            52 | LAUNCH_FAILED | gemini found its configuration invalid (exit 52)
            53 | AGENT_ERROR   | gemini reached its session turn limit (exit 53)
            54 | AGENT_ERROR   | gemini hit a fatal tool error (exit 54)
            """)
    void theDocumentedExitCodesSayWhatFailedWhenNothingElseDoes(int exitCode, FailureType type, String message) {
        Reading reading = AgentOutput.read(adapter, List.of(), "", exitCode).reading();

        assertThat(reading.failure().type()).isEqualTo(type);
        assertThat(reading.failure().message()).isEqualTo(message);
    }

    @Test
    void anInputErrorKeepsWhatGeminiSaidOnStandardError() {
        Reading reading = AgentOutput.read(adapter, List.of(),
                "Invalid values:\n  Argument: approval-mode, Given: \"plan\", Choices: \"default\", \"auto_edit\", \"yolo\"\n",
                42).reading();

        assertThat(reading.failure().type()).isEqualTo(FailureType.LAUNCH_FAILED);
        assertThat(reading.failure().message()).startsWith("Argument: approval-mode, Given: \"plan\"");
    }

    @Test
    void aDocumentCutOffIsMalformedAndKeptInTheDetail() {
        Reading reading = AgentOutput.read(adapter, FOLDER, "malformed", 0).reading();

        assertThat(reading.failure().type()).isEqualTo(FailureType.MALFORMED_OUTPUT);
        assertThat(reading.failure().message()).isEqualTo("gemini printed output that is not its JSON: {");
        assertThat(reading.failure().detail()).startsWith("{\n  \"session_id\": \"c3a9e1f4");
    }

    @Test
    void aDocumentCutByTheRunnersLineCapIsNotTheAgentsFault() {
        OutputReader reader = adapter.newReader();
        List<String> lines = AgentOutput.stdout(FOLDER, "success");
        for (String line : lines) {
            boolean response = line.contains("\"response\"");
            reader.line(response ? line.substring(0, 40) : line, response);
        }

        Reading reading = reader.finish(0, "");

        assertThat(reading.failure()).isNull();
        assertThat(reading.usage()).isEqualTo(Usage.NONE);
    }
}
