package io.switchboard.process.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.core.agent.Adapter;
import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.agent.Mode;
import io.switchboard.core.execution.FailureType;
import io.switchboard.core.execution.Usage;
import io.switchboard.process.adapter.AgentOutput.Run;
import io.switchboard.testkit.AgentBuilder;
import io.switchboard.testkit.MutableClock;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AiderAdapterTest {
    private static final String FOLDER = "aider";
    private static final Path PROMPT = Path.of("/run/switchboard/attempt-7/prompt.md");
    private static final String SCRIPTED = "aider --message-file /run/switchboard/attempt-7/prompt.md --yes-always "
            + "--no-pretty --no-stream --no-fancy-input --no-check-update --no-show-release-notes "
            + "--no-show-model-warnings --no-analytics";

    private final CliAdapter adapter = new AiderAdapter(new TimeBase(new MutableClock(), ZoneId.of("Europe/Paris")));

    @ParameterizedTest(name = "{0}, bypass {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            plan      | false | --chat-mode ask --dry-run --no-gitignore
            plan      | true  | --chat-mode ask --dry-run --no-gitignore
            auto      | false |
            auto      | true  |
            full-auto | false |
            full-auto | true  |
            """)
    void argvPerMode(String mode, boolean bypass, String modeFlags) {
        List<String> argv = adapter.argv(AgentOutput.profile(Adapter.AIDER), Mode.fromConfigName(mode).orElseThrow(),
                bypass, PROMPT);

        String expected = modeFlags == null ? SCRIPTED : SCRIPTED + " " + modeFlags;
        assertThat(argv).containsExactly(expected.split(" "));
    }

    @Test
    void aConfiguredCommandReplacesTheProgramAndTheModeFlagsComeLast() {
        AgentProfile profile = AgentOutput.withCommand(AgentBuilder.anAgent("aider")
                .withModeFlags(Mode.AUTO, "--model", "sonnet", "--no-auto-commits").profile(),
                "/home/dev/.local/bin/aider");

        List<String> argv = adapter.argv(profile, Mode.AUTO, false, PROMPT);

        assertThat(argv).startsWith("/home/dev/.local/bin/aider", "--message-file", PROMPT.toString())
                .endsWith("--no-analytics", "--model", "sonnet", "--no-auto-commits");
        assertThat(adapter.versionArgv(profile)).containsExactly("/home/dev/.local/bin/aider", "--version");
    }

    @Test
    void thePromptIsAFileWhosePathIsOnTheCommandLine() {
        AgentProfile profile = AgentOutput.profile(Adapter.AIDER);

        assertThat(adapter.promptDelivery(profile)).isEqualTo(CliAdapter.PromptDelivery.FILE);
        assertThatThrownBy(() -> adapter.argv(profile, Mode.AUTO, false, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("promptFile");
        assertThat(adapter.versionArgv(profile)).containsExactly("aider", "--version");
    }

    @Test
    void successSumsTheTokensOfEachExchangeAndTakesTheSessionCost() {
        Run run = AgentOutput.read(adapter, FOLDER, "success", 0);

        assertThat(run.progress()).containsExactly(new Usage(4_200, 184, 0.0196), new Usage(9_300, 280, 0.0364));
        Reading reading = run.reading();
        assertThat(reading.failure()).isNull();
        assertThat(reading.usage()).isEqualTo(new Usage(9_300, 280, 0.0364));
        assertThat(reading.summary()).isEqualTo("""
                Applied edit to src/limiter.py
                Commit 3f9c2a1 fix: take a token from the bucket on every request
                Applied edit to src/limiter.py
                Commit 8b41d07 fix: use the limiter's bucket""");
        assertThat(reading.sessionId()).isNull();
    }

    @Test
    void aProviderErrorAiderDoesNotRetryIsAnAgentErrorEvenWithStatusZero() {
        Reading reading = AgentOutput.read(adapter, FOLDER, "error", 0).reading();

        assertThat(reading.failure().type()).isEqualTo(FailureType.AGENT_ERROR);
        assertThat(reading.failure().message()).startsWith("litellm.BadRequestError: AnthropicException")
                .contains("prompt is too long");
    }

    @Test
    void anExceededQuotaIsAQuotaEvenWhenLitellmCallsItARateLimit() {
        Reading reading = AgentOutput.read(adapter, FOLDER, "usage-limit", 0).reading();

        assertThat(reading.failure().type()).isEqualTo(FailureType.QUOTA);
        assertThat(reading.failure().message()).startsWith("litellm.RateLimitError: RateLimitError: OpenAIException - "
                + "You exceeded your current quota");
        // "Retrying in 0.5 seconds..." is aider's own back-off, not a reset the provider stated.
        assertThat(reading.failure().resetAt()).isNull();
    }

    @Test
    void aRateLimitThatWasNotRetriedAwayResetsWhenTheProviderSays() {
        Reading reading = AgentOutput.read(adapter, FOLDER, "rate-limit", 0).reading();

        assertThat(reading.failure().type()).isEqualTo(FailureType.RATE_LIMIT);
        assertThat(reading.failure().resetAt()).isEqualTo(Instant.parse("2026-01-05T09:00:08.646Z"));
    }

    @Test
    void aRateLimitARetryGotPastIsASuccess() {
        Reading reading = AgentOutput.read(adapter, FOLDER, "rate-limit-retried", 0).reading();

        assertThat(reading.failure()).isNull();
        assertThat(reading.usage()).isEqualTo(new Usage(4_400, 171, 0.0158));
    }

    @Test
    void anAuthenticationErrorIsNotLoggedIn() {
        Reading reading = AgentOutput.read(adapter, FOLDER, "not-logged-in", 0).reading();

        assertThat(reading.failure().type()).isEqualTo(FailureType.NOT_LOGGED_IN);
        assertThat(reading.failure().message()).startsWith("litellm.AuthenticationError: AnthropicException");
    }

    @Test
    void garbledTextIsNotAFailureButGivesNoUsage() {
        // Aider's output is text, not a format that can be malformed: what cannot be read is simply not counted.
        Reading reading = AgentOutput.read(adapter, FOLDER, "malformed", 0).reading();

        assertThat(reading.failure()).isNull();
        assertThat(reading.usage()).isEqualTo(Usage.NONE);
    }

    @Test
    void aFailingStatusWithoutAProviderErrorQuotesAidersLastWords() {
        Reading reading = AgentOutput.read(adapter,
                List.of("Aider v0.86.1", "Unable to read git repository, it may be corrupt?", "fatal: bad object HEAD"),
                "", 1).reading();

        assertThat(reading.failure().type()).isEqualTo(FailureType.EXIT_CODE);
        assertThat(reading.failure().message()).isEqualTo("aider exited with status 1: fatal: bad object HEAD");
    }

    @ParameterizedTest
    @CsvSource({"154,154", "2.3k,2300", "12k,12000", "'1,204',1204", "1.5M,1500000", "?,0"})
    void aidersShortCountsAreReadAsTokens(String text, long tokens) {
        assertThat(readTokens("Tokens: " + text + " sent, 1 received.")).isEqualTo(tokens);
    }

    private long readTokens(String line) {
        Usage usage = adapter.newReader().line(line, false);
        return usage == null ? 0 : usage.inputTokens();
    }
}
