package io.switchboard.process;

import static io.switchboard.process.AgentRunBuilder.anAgentRun;
import static io.switchboard.process.AgentRunBuilder.ms;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.execution.FailureType;
import io.switchboard.core.execution.RunObserver;
import io.switchboard.core.execution.RunResult;
import io.switchboard.process.adapter.CommandAdapter;
import io.switchboard.testkit.agent.FakeAgent;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both streams are drained together into bounded buffers, whatever the agent prints. */
class OutputTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void stdoutAndStderrAreDrainedTogether() throws Exception {
        // Read one stream after the other and the agent blocks on a full stderr pipe while we wait on stdout.
        RunResult result = runner(RunnerSettings.defaults()).start(anAgentRun("flood-stderr", Integer.toString(4 * MIB),
                "flood", Integer.toString(4 * MIB)).in(dir).build(), RunObserver.NONE).await();

        assertThat(result.failure()).isNull();
        assertThat(result.stdout().totalBytes()).isEqualTo(4 * MIB);
        assertThat(result.stderr().totalBytes()).isEqualTo(4 * MIB);
    }

    @Test
    void theHeadAndTailAreKeptAndTheMiddleIsCountedAsOmitted() throws Exception {
        RunResult result = runner(RunnerSettings.defaults().withKept(1024, 2048)).start(anAgentRun("flood", "100000")
                .in(dir).build(), RunObserver.NONE).await();

        String text = result.stdout().text();
        assertThat(result.stdout().totalBytes()).isEqualTo(100_000);
        assertThat(result.stdout().truncated()).isTrue();
        assertThat(text).startsWith(FakeAgent.FLOOD_LINE_START + "xxx")
                .contains("\n… [" + (100_000 - 1024 - 2048) + " bytes omitted] …\n");
        assertThat(text.substring(0, 1024)).isEqualTo(floodText(0, 1024));
        assertThat(text.substring(text.length() - 2048)).isEqualTo(floodText(100_000 - 2048, 100_000));
    }

    @Test
    void anAgentPrintingPastTheOutputLimitIsStopped() throws Exception {
        RunResult result = runner(RunnerSettings.defaults().withOutputLimit(MIB)).start(anAgentRun("flood",
                Long.toString(64L << 30)).in(dir).build(), RunObserver.NONE).await();

        assertThat(result.failure().type()).isEqualTo(FailureType.OUTPUT_LIMIT);
        assertThat(result.failure().message()).contains("1 MiB");
        assertThat(result.stdout().totalBytes()).isGreaterThan(MIB).isLessThan(64L << 30);
    }

    @Test
    void aLineLongerThanTheCapReachesTheReaderCutAndMarkedTruncated() throws Exception {
        RecordingAdapter adapter = new RecordingAdapter();
        RunResult result = new LocalAgentRunner(RunnerSettings.defaults().withLineCap(64 * 1024), kind -> adapter)
                .start(anAgentRun("print", "before", "huge-line", Integer.toString(3 * MIB), "print", "after")
                        .in(dir).build(), RunObserver.NONE).await();

        assertThat(result.failure()).isNull();
        assertThat(adapter.lines).containsExactly(new RecordingAdapter.Line("before", false),
                new RecordingAdapter.Line("y".repeat(64 * 1024), true), new RecordingAdapter.Line("after", false));
        assertThat(result.stdout().totalBytes()).isEqualTo("before\n".length() + 3 * MIB + 1 + "after\n".length());
    }

    @Test
    void binaryOutputIsCountedAndKeptAsText() throws Exception {
        int size = 300_000;
        RunResult result = runner(RunnerSettings.defaults()).start(anAgentRun("binary", Integer.toString(size))
                .in(dir).build(), RunObserver.NONE).await();

        byte[] expected = new byte[MIB];
        new Random(FakeAgent.BINARY_SEED).nextBytes(expected);
        assertThat(result.failure()).isNull();
        assertThat(result.stdout().totalBytes()).isEqualTo(size);
        assertThat(result.stdout().truncated()).isFalse();
        assertThat(result.stdout().text()).isEqualTo(new String(Arrays.copyOf(expected, size), UTF_8));
    }

    /** What {@code flood} writes between two offsets. */
    static String floodText(int from, int to) {
        StringBuilder text = new StringBuilder();
        for (int at = from; at < to; at++) {
            int inLine = at % FakeAgent.FLOOD_LINE_BYTES;
            if (inLine == FakeAgent.FLOOD_LINE_BYTES - 1) {
                text.append('\n');
            } else if (inLine < FakeAgent.FLOOD_LINE_START.length()) {
                text.append(FakeAgent.FLOOD_LINE_START.charAt(inLine));
            } else {
                text.append('x');
            }
        }
        return text.toString();
    }

    private static LocalAgentRunner runner(RunnerSettings settings) {
        return new LocalAgentRunner(settings.withGracePeriod(ms(500)), kind -> new CommandAdapter());
    }
}
