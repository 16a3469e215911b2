package io.switchboard.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.execution.RunRequest;
import io.switchboard.testkit.agent.FakeAgent;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The runner's heap stays bounded whatever an agent prints. */
class BoundedHeapTest {
    private static final long FLOOD = 2L << 30;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aTwoGigabyteFloodRunsThroughARunnerWithA64MegabyteHeap() throws Exception {
        Process probe = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+UseSerialGC", "-XX:+HeapDumpOnOutOfMemoryError", "-XX:HeapDumpPath=" + dir,
                "-cp", classpath(), FloodProbe.class.getName(), Long.toString(FLOOD), dir.toString())
                .redirectErrorStream(true).start();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(probe.waitFor()).as(output).isZero();

        Map<String, String> figures = new HashMap<>();
        for (String line : output.split("\n")) {
            if (line.contains("=")) {
                figures.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        long kept = RunnerSettings.DEFAULT_HEAD_BYTES + RunnerSettings.DEFAULT_TAIL_BYTES;
        assertThat(figures).containsEntry("failure", "null")
                .containsEntry("totalBytes", Long.toString(FLOOD))
                .containsEntry("truncated", "true")
                .containsEntry("head", FakeAgent.FLOOD_LINE_START + "xxxxxxxxxx")
                .containsEntry("marker", "… [" + (FLOOD - kept) + " bytes omitted] …");
        assertThat(Long.parseLong(figures.get("maxHeap"))).isLessThanOrEqualTo(64L << 20);
    }

    private static String classpath() throws URISyntaxException, IOException {
        List<Class<?>> roots = List.of(FloodProbe.class, LocalAgentRunner.class, RunRequest.class, FakeAgent.class);
        StringBuilder path = new StringBuilder();
        for (Class<?> root : roots) {
            path.append(path.isEmpty() ? "" : ":")
                    .append(Path.of(root.getProtectionDomain().getCodeSource().getLocation().toURI()));
        }
        return path.toString();
    }
}
