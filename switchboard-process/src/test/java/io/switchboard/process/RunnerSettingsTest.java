package io.switchboard.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RunnerSettingsTest {
    @Test
    void theDefaultsAreTheNamedConstants() {
        RunnerSettings defaults = RunnerSettings.defaults();

        assertThat(defaults).isEqualTo(new RunnerSettings(RunnerSettings.DEFAULT_GRACE_PERIOD,
                RunnerSettings.DEFAULT_HEAD_BYTES, RunnerSettings.DEFAULT_TAIL_BYTES,
                RunnerSettings.DEFAULT_OUTPUT_LIMIT_BYTES, RunnerSettings.DEFAULT_LINE_CAP_BYTES,
                RunnerSettings.DEFAULT_VERSION_TIMEOUT, RunnerSettings.DEFAULT_DRAIN_TIMEOUT, true, true));
        assertThat(defaults.headBytes() + defaults.tailBytes()).isEqualTo(2 << 20);
        assertThat(defaults.outputLimitBytes()).isEqualTo(256L << 20);
    }

    static Stream<Arguments> badValues() {
        RunnerSettings defaults = RunnerSettings.defaults();
        return Stream.of(
                Arguments.of((Supplier<RunnerSettings>) () -> defaults.withGracePeriod(Duration.ofMillis(-1)),
                        "grace period must be zero or more, was PT-0.001S"),
                Arguments.of((Supplier<RunnerSettings>) () -> defaults.withKept(-1, 10),
                        "head bytes must be zero or more, was -1"),
                Arguments.of((Supplier<RunnerSettings>) () -> defaults.withKept(10, -5),
                        "tail bytes must be zero or more, was -5"),
                Arguments.of((Supplier<RunnerSettings>) () -> defaults.withOutputLimit(0),
                        "output limit must be more than zero bytes, was 0"),
                Arguments.of((Supplier<RunnerSettings>) () -> defaults.withLineCap(0),
                        "line cap must be more than zero bytes, was 0"),
                Arguments.of((Supplier<RunnerSettings>) () -> defaults.withVersionTimeout(Duration.ZERO),
                        "version timeout must be more than zero, was PT0S"),
                Arguments.of((Supplier<RunnerSettings>) () -> defaults.withDrainTimeout(Duration.ofSeconds(-2)),
                        "drain timeout must be zero or more, was PT-2S"));
    }

    @ParameterizedTest
    @MethodSource("badValues")
    void aBadValueIsRefusedAndQuoted(Supplier<RunnerSettings> settings, String message) {
        assertThatThrownBy(settings::get).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }
}
