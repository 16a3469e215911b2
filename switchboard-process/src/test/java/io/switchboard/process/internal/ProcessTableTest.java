package io.switchboard.process.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProcessTableTest {
    @Test
    void aStatLineIsReadFromTheLastParenthesis() {
        Optional<ProcessTable.Stat> stat = ProcessTable.parseStat(
                "4242 (evil) name (x) S) Z 17 4240 4240 0 -1 4227084 129 0 0 0");

        assertThat(stat).contains(new ProcessTable.Stat(4242, 'Z', 17, 4240));
        assertThat(stat.get().running()).isFalse();
    }

    @Test
    void aMalformedStatLineIsNothing() {
        assertThat(ProcessTable.parseStat("garbage")).isEmpty();
        assertThat(ProcessTable.parseStat("12 (x)")).isEmpty();
    }

    @Test
    void thisProcessIsInItsOwnTable() {
        long self = ProcessHandle.current().pid();

        assertThat(ProcessTable.stat(self)).hasValueSatisfying(stat -> assertThat(stat.pid()).isEqualTo(self));
        assertThat(ProcessTable.running(self)).isTrue();
    }

    @Test
    void aVariableIsFoundInAnEnvironmentBlockOnlyByItsWholeName() {
        byte[] environ = "XSWITCH=no\0SWITCH=yes\0OTHER=1\0".getBytes(UTF_8);

        assertThat(ProcessTable.valueOf(environ, "SWITCH=".getBytes(UTF_8))).isEqualTo("yes");
        assertThat(ProcessTable.valueOf(environ, "MISSING=".getBytes(UTF_8))).isNull();
    }
}
