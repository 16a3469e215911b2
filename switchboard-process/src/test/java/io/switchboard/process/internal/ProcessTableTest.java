package io.switchboard.process.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.execution.RunRequest;
import io.switchboard.testkit.agent.FakeAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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

    @Test
    void anEntryOfProcIsAProcessOnlyWhenAllDigits() {
        assertThat(ProcessTable.pid("4242")).isEqualTo(4242);
        assertThat(ProcessTable.pid("self")).isEqualTo(-1);
        assertThat(ProcessTable.pid("")).isEqualTo(-1);
        assertThat(ProcessTable.pid("12a")).isEqualTo(-1);
    }

    @Test
    void aThreadIsNotAProcess() throws Exception {
        long self = ProcessHandle.current().pid();
        long thread = otherThreadOf(self);

        assertThat(ProcessTable.isProcess(self)).isTrue();
        assertThat(ProcessTable.isProcess(thread)).isFalse();
        assertThat(ProcessTable.isProcess(Long.MAX_VALUE / 2)).as("no such pid").isFalse();
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void pidsLookedUpOneByOneFindTheProcessesOfARunButNotTheirThreads() throws Exception {
        String marker = "table-" + UUID.randomUUID();
        ProcessBuilder builder = new ProcessBuilder(FakeAgent.command("print", "ready", "sleep", "60000"));
        builder.environment().put(RunRequest.MARKER_VARIABLE, marker);
        Process child = builder.start();
        try {
            // Once it prints, the child's JVM has started its threads, with pids just above its own.
            assertThat(new String(child.getInputStream().readNBytes(6), UTF_8)).isEqualTo("ready\n");
            // The window spans the child and one of its threads, wherever the pid counter put the thread.
            long thread = otherThreadOf(child.pid());
            long lowest = Math.min(child.pid(), thread);
            long highest = Math.max(child.pid(), thread);

            List<Long> found = ProcessTable.ofRun(-1, RunRequest.MARKER_VARIABLE, marker::equals,
                    () -> new PidWindow.Pids(lowest, highest, false));

            assertThat(found).containsExactly(child.pid());
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aListingIsReadFromItsLowestPidUp() throws Exception {
        String marker = "table-" + UUID.randomUUID();
        ProcessBuilder builder = new ProcessBuilder(FakeAgent.command("sleep", "60000"));
        builder.environment().put(RunRequest.MARKER_VARIABLE, marker);
        Process child = builder.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            assertThat(ProcessTable.ofRun(-1, RunRequest.MARKER_VARIABLE, marker::equals,
                    () -> new PidWindow.Pids(child.pid(), Long.MAX_VALUE, true))).containsExactly(child.pid());
            assertThat(ProcessTable.ofRun(-1, RunRequest.MARKER_VARIABLE, marker::equals,
                    () -> new PidWindow.Pids(child.pid() + 1, Long.MAX_VALUE, true))).isEmpty();
        } finally {
            child.destroyForcibly();
        }
    }

    /** A thread of the process other than its first, by its id (its directory under /proc/PID/task). */
    private static long otherThreadOf(long pid) throws Exception {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            return tasks.map(task -> Long.parseLong(task.getFileName().toString())).filter(tid -> tid != pid)
                    .findFirst().orElseThrow();
        }
    }
}
