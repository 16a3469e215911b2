package io.switchboard.process.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testkit.MutableClock;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every form of reset time the CLIs print, read at 09:00 UTC (10:00 in Paris, the machine's zone here). */
class ResetTimeTest {
    private static final TimeBase NOW = new TimeBase(new MutableClock(), ZoneId.of("Europe/Paris"));

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "=>", textBlock = """
            try again in 2 hours                                           => 2026-01-05T11:00:00Z
            try again in 2 hours and 30 minutes                            => 2026-01-05T11:30:00Z
            Please try again in 1.5s.                                      => 2026-01-05T09:00:01.500Z
            Please try again in 8.646s. Visit the rate limits page         => 2026-01-05T09:00:08.646Z
            Please retry in 250ms                                          => 2026-01-05T09:00:00.250Z
            Model gpt-5 is at capacity. Try again in 5m.                   => 2026-01-05T09:05:00Z
            Try again in less than a minute.                               => 2026-01-05T09:01:00Z
            Your quota will reset after 1h49m8s.                           => 2026-01-05T10:49:08Z
            Your quota will reset after 39s                                => 2026-01-05T09:00:39Z
            resets in 3 days                                               => 2026-01-08T09:00:00Z
            or try again at 3:28 PM.                                       => 2026-01-05T14:28:00Z
            try again at 9:15 AM                                           => 2026-01-06T08:15:00Z
            Try again at Jan 7th, 2026 9:05 AM.                            => 2026-01-07T08:05:00Z
            You've hit your limit · resets 5pm (Europe/Brussels)           => 2026-01-05T16:00:00Z
            You've hit your session limit · resets 1:20am (Europe/Vienna)  => 2026-01-06T00:20:00Z
            Resets Jul 18 at 4am (Europe/Vienna)                           => 2026-07-18T02:00:00Z
            You've hit your limit · resets 7pm                             => 2026-01-05T18:00:00Z
            resets at 17:30                                                => 2026-01-05T16:30:00Z
            Claude AI usage limit reached|1767628800                       => 2026-01-05T16:00:00Z
            quotaResetTimeStamp: '2026-01-05T19:14:08Z'                    => 2026-01-05T19:14:08Z
            Usage will reset when your monthly cycle ends on 2/1/2026.     => 2026-01-31T23:00:00Z
            """)
    void readsTheResetTheTextStates(String text, Instant expected) {
        assertThat(ResetTime.in(text, NOW)).contains(expected);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
            "This request would exceed your account's rate limit. Please try again later.",
            "Retrying in 0.2 seconds...",
            "You have exhausted your daily quota on this model.",
            "resets soon",
            "try again at 25:99",
            ""})
    void findsNoneWhenTheTextStatesNone(String text) {
        assertThat(ResetTime.in(text, NOW)).isEmpty();
    }
}
