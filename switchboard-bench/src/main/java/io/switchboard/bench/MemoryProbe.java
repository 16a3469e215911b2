package io.switchboard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.GarbageCollectionNotificationInfo;
import io.switchboard.core.port.DecisionLog.DecisionQuery;
import io.switchboard.core.port.DecisionLog.StoredDecision;
import io.switchboard.core.routing.Router;
import io.switchboard.core.routing.RoutingPolicy;
import io.switchboard.core.routing.RoutingRequest;
import io.switchboard.core.routing.RoutingService;
import io.switchboard.core.routing.Rule;
import io.switchboard.store.Database;
import io.switchboard.store.Store;
import io.switchboard.testkit.MutableClock;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The routing process whose heap {@link MemoryFootprint} measures, run in a JVM of its own with a small heap:
 * opens the store, routes one task among every registered agent (the decision is appended), and reads the
 * recent decisions. Prints one line, {@code RESULT {json}}, on standard output.
 *
 * <p>The peak is the most heap in use just before any collection (from the collectors' notifications) or at
 * the end, whichever is more: between collections the heap in use only grows, so that is the true peak.
 *
 * <p>Arguments: the JDBC URL, and the instant of the decision in epoch milliseconds.
 */
public final class MemoryProbe {
    private static final AtomicLong PEAK = new AtomicLong();

    private MemoryProbe() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        Instant now = Instant.ofEpochMilli(Long.parseLong(args[1]));
        watchCollections();
        Map<String, Object> result = new LinkedHashMap<>();
        Map<String, Long> millis = new LinkedHashMap<>();
        Map<String, Long> peaks = new LinkedHashMap<>();
        long start = System.nanoTime();
        try (Database database = Database.open(url)) {
            Store store = database.store();
            millis.put("open", elapsed(start));
            peaks.put("open", peakAfterStep());

            long step = System.nanoTime();
            int agents = store.agents().size();
            millis.put("list agents", elapsed(step));
            peaks.put("list agents", peakAfterStep());

            step = System.nanoTime();
            RoutingService service = new RoutingService(store, store, store, store, store,
                    new Router(RoutingPolicy.defaults(), Rule.defaults()), new MutableClock(now));
            RoutingService.Recorded recorded = service.route(RoutingRequest.of(Population.task("PROBE-1")));
            millis.put("route", elapsed(step));
            peaks.put("route", peakAfterStep());

            step = System.nanoTime();
            List<StoredDecision> recent = store.find(DecisionQuery.all());
            millis.put("read recent decisions", elapsed(step));
            peaks.put("read recent decisions", peakAfterStep());

            step = System.nanoTime();
            List<StoredDecision> forAgent = recorded.decision().chosenAgent()
                    .map(agent -> store.find(DecisionQuery.all().forAgent(agent)))
                    .orElse(List.of());
            millis.put("read the chosen agent's decisions", elapsed(step));
            peaks.put("read the chosen agent's decisions", peakAfterStep());

            result.put("agents", agents);
            result.put("candidates", recorded.decision().candidates().size());
            result.put("exclusions", recorded.decision().exclusions().size());
            result.put("recentDecisions", recent.size());
            result.put("agentDecisions", forAgent.size());
        }
        System.gc();
        result.put("millis", millis);
        result.put("peakAfter", peaks);
        result.put("peakHeapUsed", PEAK.get());
        result.put("sumOfPoolPeaks", ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP)
                .mapToLong(pool -> pool.getPeakUsage().getUsed()).sum());
        result.put("heapAfterFullGc", heapUsed());
        result.put("maxHeap", Runtime.getRuntime().maxMemory());
        result.put("collections", ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionCount).sum());
        System.out.println("RESULT " + new ObjectMapper().writeValueAsString(result));
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
                Map<String, MemoryUsage> before = GarbageCollectionNotificationInfo
                        .from((CompositeData) notification.getUserData()).getGcInfo().getMemoryUsageBeforeGc();
                long used = before.entrySet().stream().filter(entry -> heapPools.contains(entry.getKey()))
                        .mapToLong(entry -> entry.getValue().getUsed()).sum();
                PEAK.accumulateAndGet(used, Math::max);
            }, null, null);
        }
    }

    /**
     * The peak so far: the most in use before any collection until now, or now if that is more. Collection
     * notifications arrive on a service thread, so it first gives those of the step a moment to arrive.
     */
    private static long peakAfterStep() throws InterruptedException {
        Thread.sleep(100);
        return PEAK.accumulateAndGet(heapUsed(), Math::max);
    }

    private static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long elapsed(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
