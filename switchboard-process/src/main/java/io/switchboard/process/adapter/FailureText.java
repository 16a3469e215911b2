package io.switchboard.process.adapter;

import io.switchboard.core.execution.FailureInfo;
import io.switchboard.core.execution.FailureType;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the agent CLIs say, in words, when they are not logged in, out of quota or rate limited: one list of
 * patterns for every adapter, matched against a failure's message and the CLI's standard error. The first kind
 * whose pattern matches wins, in the order not logged in, quota, rate limit (an OpenAI "RateLimitError" that says
 * "exceeded your current quota" is a quota).
 */
final class FailureText {
    /** The longest message kept: a failure's message is one readable line. */
    static final int MAX_MESSAGE = 500;

    private static final int CASE = Pattern.CASE_INSENSITIVE;
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-?]*[ -/]*[@-~]|\u001B\\][^\u0007]*\u0007");

    private record Kind(FailureType type, List<Pattern> patterns) {
        boolean matches(String line) {
            return patterns.stream().anyMatch(pattern -> pattern.matcher(line).find());
        }
    }

    private static final List<Kind> KINDS = List.of(
            new Kind(FailureType.NOT_LOGGED_IN, patterns(
                    "not logged in",
                    "run /login",
                    "invalid api key",
                    "invalid x-api-key",
                    "incorrect api key",
                    "api key not valid",
                    "api key (?:is )?(?:missing|not set|required)",
                    "authentication_error",
                    "authentication[ _]failed",
                    "authenticationerror",
                    "authentication required",
                    "not authenticated",
                    "unauthenticated",
                    "not able to authenticate you",
                    "oauth token (?:has )?expired",
                    "401 unauthorized",
                    "(?:status|code)(?: code)?\"?\\s*[:=]?\\s*401\\b",
                    "api error: 401\\b",
                    "codex login",
                    "agent login",
                    "please set an auth method",
                    "must specify the gemini_api_key")),
            new Kind(FailureType.QUOTA, patterns(
                    "usage limit",
                    "hit your (?:[a-z-]+ )?limit",
                    "(?:session|weekly|daily|monthly|5-hour|five-hour) limit",
                    "quota exceeded",
                    "exceeded your (?:current )?quota",
                    "exhausted your (?:[a-z]+ )?(?:quota|capacity)",
                    "insufficient_quota",
                    "quota will reset",
                    "credit balance is too low",
                    "out of credits")),
            new Kind(FailureType.RATE_LIMIT, patterns(
                    "rate[ _-]?limit",
                    "too many requests",
                    "resource_exhausted",
                    "resource has been exhausted",
                    "(?:status|code|error)(?: code)?\"?\\s*[:=]?\\s*429\\b",
                    "\\b429 too many")));

    /** What a piece of text says went wrong: its kind, the line that says so, and when it resets. */
    record Finding(FailureType type, String line, Instant resetAt) {
        FailureInfo toFailure(String message) {
            return new FailureInfo(type, oneLine(message), false, "", resetAt);
        }
    }

    private FailureText() {
    }

    /** The first line of {@code text} that says the agent is not logged in, out of quota or rate limited. */
    static Optional<Finding> find(String text, TimeBase time) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String plain = stripAnsi(text);
        List<String> lines = plain.lines().toList();
        for (Kind kind : KINDS) {
            for (String line : lines) {
                if (kind.matches(line)) {
                    Instant reset = kind.type() == FailureType.NOT_LOGGED_IN ? null
                            : ResetTime.in(plain, time).orElse(null);
                    return Optional.of(new Finding(kind.type(), line.strip(), reset));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The failure an agent reported in its structured output: not logged in, quota or rate limit when
     * {@code message} (or, failing that, {@code moreText}, typically standard error) says so, else {@code otherwise}.
     * The message stays the agent's own.
     */
    static FailureInfo reported(String message, String moreText, FailureType otherwise, TimeBase time) {
        Optional<Finding> finding = find(message, time).or(() -> find(moreText, time));
        if (finding.isEmpty()) {
            return FailureInfo.of(otherwise, oneLine(message));
        }
        Finding found = finding.get();
        Instant reset = found.resetAt() != null || found.type() == FailureType.NOT_LOGGED_IN ? found.resetAt()
                : ResetTime.in(message + "\n" + moreText, time).orElse(null);
        return new FailureInfo(found.type(), oneLine(message), false, "", reset);
    }

    static String stripAnsi(String text) {
        return ANSI.matcher(text).replaceAll("");
    }

    /** The text on one line, without colour codes, at most {@value #MAX_MESSAGE} characters. */
    static String oneLine(String text) {
        if (text == null) {
            return "";
        }
        String line = stripAnsi(text).strip().replaceAll("\\s*\\R\\s*", " ");
        return line.length() <= MAX_MESSAGE ? line : line.substring(0, MAX_MESSAGE - 1) + "…";
    }

    /** The last line of {@code text} with something on it, or empty. */
    static String lastLine(String text) {
        if (text == null) {
            return "";
        }
        List<String> lines = stripAnsi(text).lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    private static List<Pattern> patterns(String... regexes) {
        return Arrays.stream(regexes).map(regex -> Pattern.compile(regex, CASE)).toList();
    }
}
