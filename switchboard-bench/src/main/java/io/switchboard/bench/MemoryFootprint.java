package io.switchboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.core.agent.RegisteredAgent;
import io.switchboard.core.routing.AgentState;
import io.switchboard.core.routing.Router;
import io.switchboard.core.routing.RoutingDecision;
import io.switchboard.core.routing.RoutingPolicy;
import io.switchboard.core.routing.RoutingRequest;
import io.switchboard.core.routing.Rule;
import io.switchboard.store.Database;
import io.switchboard.store.Store;
import io.switchboard.testkit.AgentBuilder;
import io.switchboard.testkit.MutableClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The heap of a routing process over a large store: many registered agents and a long decision log. The
 * store is seeded here; the routing process ({@link MemoryProbe}) runs in a JVM of its own with the heap
 * limit of the plan and the launcher's collector, and reports its peak.
 *
 * <p>The seeded decision rows are copies of a few real decisions over three agents each (about 3.7 KB a row),
 * made at evenly spread instants over the past year: the heap does not depend on how large past rows are,
 * since nothing reads more than a page of them, but the database's size and seeding time do.
 */
final class MemoryFootprint {

    /**
     * What the probe reported.
     *
     * @param peakAfter the peak heap used up to the end of each step, in bytes: where the peak was reached
     */
    record Result(String database, int agents, int decisionRows, boolean completed, long maxHeap,
            long peakHeapUsed, long heapAfterFullGc, int candidates, Map<String, Long> millis,
            Map<String, Long> peakAfter, String failure) {
    }

    private static final int TEMPLATES = 32;

    private MemoryFootprint() {
    }

    static Result measure(String databaseName, String url, Plan plan, Path workFolder, Progress progress)
            throws IOException, InterruptedException {
        Instant now = MutableClock.EPOCH;
        long start = System.nanoTime();
        try (Database database = Database.open(url)) {
            Store store = database.store();
            List<AgentBuilder> builders = Population.agents(plan.memoryAgents(), 29);
            store.sync(builders.stream().map(AgentBuilder::profile).toList(), now);
            List<RegisteredAgent> registered = store.agents();
            History.performance(database, registered, now, 31);
            History.decisions(database, templates(builders, registered, now), plan.memoryDecisions(), now);
            History.settle(database);
        }
        progress.step("%s memory: seeded %,d agents and %,d decisions in %.0f s", databaseName, plan.memoryAgents(),
                plan.memoryDecisions(), (System.nanoTime() - start) / 1e9);
        return probe(databaseName, url, plan, now, workFolder);
    }

    /** Decisions over three agents each, as a smaller team would have made them. */
    private static List<RoutingDecision> templates(List<AgentBuilder> builders, List<RegisteredAgent> registered,
            Instant now) {
        Router router = new Router(RoutingPolicy.defaults(), Rule.defaults());
        SplittableRandom random = new SplittableRandom(37);
        List<RoutingDecision> templates = new ArrayList<>();
        while (templates.size() < TEMPLATES) {
            List<AgentBuilder> team = random.ints(0, builders.size()).distinct().limit(3)
                    .mapToObj(builders::get).toList();
            List<AgentState> states = Population.states(team, registered);
            RoutingDecision decision = router.decide(RoutingRequest.of(Population.task("T-" + templates.size())),
                    states, now);
            if (decision.chosen().isPresent()) {
                templates.add(decision);
            }
        }
        return templates;
    }

    private static Result probe(String databaseName, String url, Plan plan, Instant now, Path workFolder)
            throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path output = Files.createTempFile(workFolder, "memory-probe", ".out");
        Path errors = Files.createTempFile(workFolder, "memory-probe", ".err");
        try {
            // The launcher's collector and the plan's heap limit; nothing else from this JVM.
            Process process = new ProcessBuilder(java, "-Xmx" + plan.memoryHeap(), "-XX:+UseSerialGC",
                    "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    MemoryProbe.class.getName(), url, Long.toString(now.toEpochMilli()))
                    .redirectOutput(output.toFile())
                    .redirectError(errors.toFile())
                    .start();
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return failed(databaseName, plan, "did not finish within 10 minutes");
            }
            String result = Files.readAllLines(output, StandardCharsets.UTF_8).stream()
                    .filter(line -> line.startsWith("RESULT ")).findFirst().orElse(null);
            if (process.exitValue() != 0 || result == null) {
                String stderr = Files.readString(errors, StandardCharsets.UTF_8).strip();
                return failed(databaseName, plan, "exit status " + process.exitValue() + ": "
                        + stderr.lines().limit(5).reduce((a, b) -> a + " / " + b).orElse("no output"));
            }
            JsonNode json = new ObjectMapper().readTree(result.substring("RESULT ".length()));
            return new Result(databaseName, json.get("agents").intValue(), plan.memoryDecisions(), true,
                    json.get("maxHeap").longValue(), json.get("peakHeapUsed").longValue(),
                    json.get("heapAfterFullGc").longValue(), json.get("candidates").intValue(),
                    longs(json.get("millis")), longs(json.get("peakAfter")), null);
        } finally {
            Files.deleteIfExists(output);
            Files.deleteIfExists(errors);
        }
    }

    private static Map<String, Long> longs(JsonNode object) {
        Map<String, Long> values = new LinkedHashMap<>();
        object.properties().forEach(entry -> values.put(entry.getKey(), entry.getValue().longValue()));
        return values;
    }

    private static Result failed(String databaseName, Plan plan, String why) {
        return new Result(databaseName, plan.memoryAgents(), plan.memoryDecisions(), false, 0, 0, 0, 0, Map.of(),
                Map.of(), why);
    }
}
