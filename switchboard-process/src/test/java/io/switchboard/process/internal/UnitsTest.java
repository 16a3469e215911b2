package io.switchboard.process.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnitsTest {
    @ParameterizedTest
    @CsvSource({"300, 300ms", "1500, 1500ms", "2000, 2s", "90000, 1m30s", "600000, 10m"})
    void durations(long millis, String text) {
        assertThat(Units.duration(Duration.ofMillis(millis))).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource({"100, 100 bytes", "2048, 2 KiB", "1048576, 1 MiB", "268435456, 256 MiB", "1048577, 1048577 bytes"})
    void bytes(long bytes, String text) {
        assertThat(Units.bytes(bytes)).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource({"0.3, $0.30", "0.25, $0.25", "1.2345, $1.2345", "0.05, $0.05"})
    void dollars(double amount, String text) {
        assertThat(Units.dollars(amount)).isEqualTo(text);
    }
}
