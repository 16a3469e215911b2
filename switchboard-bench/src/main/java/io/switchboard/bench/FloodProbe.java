package io.switchboard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.GarbageCollectionNotificationInfo;
import io.switchboard.core.agent.Adapter;
import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.agent.Availability;
import io.switchboard.core.agent.Mode;
import io.switchboard.core.execution.RunObserver;
import io.switchboard.core.execution.RunRequest;
import io.switchboard.core.execution.RunResult;
import io.switchboard.process.LocalAgentRunner;
import io.switchboard.process.RunnerSettings;
import io.switchboard.process.adapter.Adapters;
import io.switchboard.testkit.agent.FakeAgent;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The process whose heap {@link FloodHeap} measures, run in a JVM of its own with a small heap: one agent that
 * floods standard output (the fake agent's {@code flood}, 1 KiB lines) run through {@link LocalAgentRunner}
 * with the default settings and an output limit above the flood. Prints one line, {@code RESULT {json}}.
 *
 * <p>The heap is measured from a baseline taken after a full collection just before the run: the peak is the
 * most in use just before any collection during the run (from the collectors' notifications) or at its end,
 * whichever is more; the live figure is the most still in use just after a collection.
 *
 * <p>Arguments: the bytes to flood, and the working directory.
 */
public final class FloodProbe {
    private static final AtomicLong PEAK = new AtomicLong();
    private static final AtomicLong LIVE = new AtomicLong();

    private FloodProbe() {
    }

    public static void main(String[] args) throws Exception {
        long bytes = Long.parseLong(args[0]);
        Path directory = Path.of(args[1]);
        AgentProfile flooding = new AgentProfile("flood", Adapter.COMMAND, AgentProfile.DEFAULT_AGENT_TYPE, null,
                List.of(), List.of(), List.of(), List.of(), 0.0, AgentProfile.DEFAULT_CONTEXT_LIMIT,
                Availability.LOCAL, 1, Map.of(), FakeAgent.command("flood", Long.toString(bytes)));
        long outputLimit = Math.max(bytes * 2, RunnerSettings.DEFAULT_OUTPUT_LIMIT_BYTES);
        LocalAgentRunner runner = new LocalAgentRunner(RunnerSettings.defaults().withOutputLimit(outputLimit),
                Adapters::of);
        RunRequest request = new RunRequest("FLOOD", 1, flooding, Mode.AUTO, "Flood.", directory, Map.of(), Set.of(),
                Duration.ofMinutes(10), Duration.ofMinutes(10), null, "o-bench-flood:FLOOD:1", false);

        watchCollections();
        System.gc();
        System.gc();
        Thread.sleep(200);
        long baseline = heapUsed();
        PEAK.set(baseline);
        LIVE.set(baseline);
        long cpuStart = ExecutionThroughput.cpuNanos();
        long start = System.nanoTime();
        RunResult result = runner.start(request, RunObserver.NONE).await();
        long millis = (System.nanoTime() - start) / 1_000_000;
        long cpu = ExecutionThroughput.cpuNanos() - cpuStart;
        // Collection notifications arrive on a service thread: give the last ones a moment.
        Thread.sleep(200);
        long peak = PEAK.accumulateAndGet(heapUsed(), Math::max);

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("failure", String.valueOf(result.failure()));
        report.put("totalBytes", result.stdout().totalBytes());
        report.put("truncated", result.stdout().truncated());
        report.put("keptChars", result.stdout().text().length());
        report.put("baselineHeap", baseline);
        report.put("peakHeapUsed", peak);
        report.put("maxLiveAfterCollection", LIVE.get());
        report.put("maxHeap", Runtime.getRuntime().maxMemory());
        report.put("millis", millis);
        report.put("cpuNanos", cpu);
        report.put("collections", ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionCount).sum());
        System.out.println("RESULT " + new ObjectMapper().writeValueAsString(report));
    }

    private static void watchCollections() {
        Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP)
                .map(MemoryPoolMXBean::getName)
                .collect(Collectors.toSet());
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) collector).addNotificationListener((notification, handback) -> {
                if (!notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                    return;
                }
                var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData())
                        .getGcInfo();
                PEAK.accumulateAndGet(sum(info.getMemoryUsageBeforeGc(), heapPools), Math::max);
                LIVE.accumulateAndGet(sum(info.getMemoryUsageAfterGc(), heapPools), Math::max);
            }, null, null);
        }
    }

    private static long sum(Map<String, MemoryUsage> usage, Set<String> pools) {
        return usage.entrySet().stream().filter(entry -> pools.contains(entry.getKey()))
                .mapToLong(entry -> entry.getValue().getUsed()).sum();
    }

    private static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
