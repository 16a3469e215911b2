package io.switchboard.process;

import static io.switchboard.process.AgentRunBuilder.anAgentRun;

import io.switchboard.core.execution.RunObserver;
import io.switchboard.core.execution.RunResult;
import io.switchboard.process.adapter.CommandAdapter;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Runs a flood of the given size through a runner with default settings (the output limit above it) and
 * prints what came back, one {@code key=value} a line, for a test that runs this in a JVM with a small heap.
 */
public final class FloodProbe {
    private FloodProbe() {
    }

    public static void main(String[] args) throws Exception {
        long bytes = Long.parseLong(args[0]);
        Path dir = Path.of(args[1]);
        LocalAgentRunner runner = new LocalAgentRunner(RunnerSettings.defaults().withOutputLimit(bytes * 2),
                kind -> new CommandAdapter());
        long started = System.nanoTime();
        RunResult result = runner.start(anAgentRun("flood", Long.toString(bytes)).in(dir)
                .timeout(Duration.ofMinutes(5)).idleTimeout(Duration.ofMinutes(5)).build(), RunObserver.NONE).await();
        long millis = (System.nanoTime() - started) / 1_000_000;
        String text = result.stdout().text();
        System.out.println("failure=" + result.failure());
        System.out.println("totalBytes=" + result.stdout().totalBytes());
        System.out.println("truncated=" + result.stdout().truncated());
        System.out.println("textLength=" + text.length());
        System.out.println("head=" + text.substring(0, 16));
        System.out.println("marker=" + text.substring(RunnerSettings.DEFAULT_HEAD_BYTES,
                text.length() - RunnerSettings.DEFAULT_TAIL_BYTES).strip());
        System.out.println("maxHeap=" + Runtime.getRuntime().maxMemory());
        System.out.println("millis=" + millis);
    }
}
