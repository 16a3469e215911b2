package io.switchboard.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryPolicyTest {

    @ParameterizedTest(name = "initial {0}, x{1}, cap {2}: after attempt {3} wait {4}")
    @CsvSource(delimiter = '|', textBlock = """
            # initial | multiplier | max   | attempt | delay
              PT2S    | 2.0        | PT60S | 1       | PT2S
              PT2S    | 2.0        | PT60S | 2       | PT4S
              PT2S    | 2.0        | PT60S | 3       | PT8S
              PT2S    | 2.0        | PT60S | 4       | PT16S
              PT2S    | 2.0        | PT60S | 5       | PT32S
              PT2S    | 2.0        | PT60S | 6       | PT60S
              PT2S    | 2.0        | PT60S | 7       | PT60S
              PT2S    | 2.0        | PT60S | 5000    | PT60S
              PT1S    | 1.5        | PT60S | 2       | PT1.5S
              PT1S    | 1.5        | PT60S | 3       | PT2.25S
              PT0.1S  | 3.0        | PT1S  | 3       | PT0.9S
              PT0.1S  | 3.0        | PT1S  | 4       | PT1S
              PT5S    | 1.0        | PT5S  | 1       | PT5S
              PT5S    | 1.0        | PT5S  | 100     | PT5S
              PT0S    | 2.0        | PT10S | 9       | PT0S
              PT30S   | 2.0        | PT30S | 1       | PT30S
            """)
    void nextDelayGrowsByTheMultiplierUpToTheCap(Duration initial, double multiplier, Duration max, int attempt,
            Duration expected) {
        RetryPolicy policy = new RetryPolicy(initial, multiplier, max, 3, null);

        assertThat(policy.nextDelay(attempt)).isEqualTo(expected);
    }

    @Test
    void defaultsAreTwoSecondsDoubledUpToAMinuteForThreeAttemptsWithNoDeadline() {
        RetryPolicy defaults = RetryPolicy.defaults();

        assertThat(defaults).isEqualTo(new RetryPolicy(Duration.ofSeconds(2), 2.0, Duration.ofSeconds(60), 3, null));
        assertThat(defaults.allowsAttempt(3)).isTrue();
        assertThat(defaults.allowsAttempt(4)).isFalse();
        assertThat(defaults.describe()).isEqualTo("3 attempts, delays from 2s x2 up to 1m, no deadline");
    }

    @Test
    void attemptsAreNumberedFromOne() {
        assertThatThrownBy(() -> RetryPolicy.defaults().nextDelay(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("attempt must be 1 or more, was 0");
    }

    @Test
    void impossibleSettingsAreRefusedAndQuoted() {
        Duration second = Duration.ofSeconds(1);
        assertThatThrownBy(() -> new RetryPolicy(second.negated(), 2, second, 3, null))
                .hasMessage("initial_delay must not be negative, was PT-1S");
        assertThatThrownBy(() -> new RetryPolicy(second, 0.5, second, 3, null))
                .hasMessage("multiplier must be 1 or more, was 0.5");
        assertThatThrownBy(() -> new RetryPolicy(second, Double.NaN, second, 3, null))
                .hasMessage("multiplier must be 1 or more, was NaN");
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofSeconds(5), 2, second, 3, null))
                .hasMessage("max_delay must be at least initial_delay (PT5S), was PT1S");
        assertThatThrownBy(() -> new RetryPolicy(second, 2, second, 0, null))
                .hasMessage("max_attempts must be 1 or more, was 0");
        assertThatThrownBy(() -> new RetryPolicy(second, 2, second, 3, Duration.ZERO))
                .hasMessage("deadline must be more than zero, was PT0S");
    }
}
