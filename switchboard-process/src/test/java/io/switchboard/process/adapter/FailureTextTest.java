package io.switchboard.process.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.execution.FailureInfo;
import io.switchboard.core.execution.FailureType;
import io.switchboard.testkit.MutableClock;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FailureTextTest {
    private static final TimeBase NOW = new TimeBase(new MutableClock(), ZoneId.of("Europe/Paris"));

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "=>", textBlock = """
            Invalid API key · Please run /login                                                  => NOT_LOGGED_IN
            OAuth token has expired. Please obtain a new token or refresh your existing token.   => NOT_LOGGED_IN
            unexpected status 401 Unauthorized: Missing bearer or basic authentication in header => NOT_LOGGED_IN
            exceeded retry limit, last status: 401 Unauthorized, request id: 9a57                => NOT_LOGGED_IN
            Error: Authentication required. Please run 'agent login' first                       => NOT_LOGGED_IN
            Error: Not logged in                                                                 => NOT_LOGGED_IN
            When using Gemini API, you must specify the GEMINI_API_KEY environment variable.     => NOT_LOGGED_IN
            The API provider is not able to authenticate you. Check your API key.                => NOT_LOGGED_IN
            API key not valid. Please pass a valid API key.                                      => NOT_LOGGED_IN
            You've hit your usage limit. Try again later.                                        => QUOTA
            You've hit your limit · resets 5pm (Europe/Brussels)                                 => QUOTA
            You've hit your session limit · resets 1:20am (Europe/Vienna)                        => QUOTA
            Claude AI usage limit reached|1767628800                                             => QUOTA
            You have exhausted your daily quota on this model.                                   => QUOTA
            You have exhausted your capacity on this model. Your quota will reset after 39s.     => QUOTA
            Quota exceeded for quota metric 'Gemini 2.5 Pro Requests' and limit per day          => QUOTA
            litellm.RateLimitError: OpenAIException - You exceeded your current quota            => QUOTA
            Your credit balance is too low to access the Anthropic API.                          => QUOTA
            exceeded retry limit, last status: 429 Too Many Requests                             => RATE_LIMIT
            This request would exceed your account's rate limit. Please try again later.         => RATE_LIMIT
            {"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}           => RATE_LIMIT
            Resource has been exhausted (e.g. check quota).                                      => RATE_LIMIT
            {"error":{"code":429,"status":"RESOURCE_EXHAUSTED"}}                                 => RATE_LIMIT
            """)
    void recognisesWhatTheClisSay(String text, FailureType type) {
        assertThat(FailureText.find(text, NOW)).hasValueSatisfying(finding -> {
            assertThat(finding.type()).isEqualTo(type);
            assertThat(finding.line()).isEqualTo(text.strip());
        });
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
            "API Error: 529 {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}",
            "Reached max session turns for this session.",
            "stream disconnected before completion",
            "Found 14290 tokens in 401 files; 429 of them changed",
            "Please log the request before sending it",
            ""})
    void saysNothingOfOtherFailures(String text) {
        assertThat(FailureText.find(text, NOW)).isEmpty();
    }

    @Test
    void theLineThatSaysSoIsTheOneReportedAndColourCodesAreGone() {
        String stderr = "\u001B[33mwarning: config key ignored\u001B[0m\n\u001B[31mError: Not logged in\u001B[0m\n";

        assertThat(FailureText.find(stderr, NOW)).hasValueSatisfying(finding -> {
            assertThat(finding.type()).isEqualTo(FailureType.NOT_LOGGED_IN);
            assertThat(finding.line()).isEqualTo("Error: Not logged in");
            assertThat(finding.resetAt()).isNull();
        });
    }

    @Test
    void aReportedFailureKeepsTheAgentsMessageAndTakesItsKindFromStandardErrorWhenTheMessageIsVague() {
        FailureInfo failure = FailureText.reported("the turn failed", "ERROR: You've hit your usage limit. Try again "
                + "in 2 hours.", FailureType.AGENT_ERROR, NOW);

        assertThat(failure.type()).isEqualTo(FailureType.QUOTA);
        assertThat(failure.message()).isEqualTo("the turn failed");
        assertThat(failure.resetAt()).isEqualTo(Instant.parse("2026-01-05T11:00:00Z"));
    }

    @Test
    void aReportedFailureThatSaysNothingKnownIsTheGivenKind() {
        FailureInfo failure = FailureText.reported("Overloaded", "", FailureType.AGENT_ERROR, NOW);

        assertThat(failure).isEqualTo(FailureInfo.of(FailureType.AGENT_ERROR, "Overloaded"));
    }

    @Test
    void messagesAreOneBoundedLine() {
        String longMessage = "first line\n  second line\n" + "x".repeat(1_000);

        String line = FailureText.oneLine(longMessage);

        assertThat(line).startsWith("first line second line xxx").hasSize(FailureText.MAX_MESSAGE).endsWith("…");
    }
}
