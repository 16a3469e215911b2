package io.switchboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The runner's heap while an agent floods its output: {@link FloodProbe} runs in a JVM of its own with the
 * plan's heap limit and the launcher's collector, and reports how far its heap grew over a baseline taken
 * just before the run.
 */
final class FloodHeap {

    /**
     * What the probe reported.
     *
     * @param peakGrowth the peak heap in use during the run over the baseline (garbage not yet collected
     *     included)
     * @param liveGrowth the most still in use after any collection during the run, over the baseline
     * @param cpuMillis the probe's process CPU time for the run (reading, line splitting, capture; not the
     *     flooding agent's)
     */
    record Result(boolean completed, String failure, long floodBytes, String heapLimit, long maxHeap,
            long baselineHeap, long peakHeapUsed, long peakGrowth, long liveGrowth, long totalBytes,
            boolean truncated, long millis, long cpuMillis, long collections) {
    }

    private FloodHeap() {
    }

    static Result measure(Plan plan, Path workFolder) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path directory = Files.createDirectories(workFolder.resolve("flood-workdir"));
        Path output = Files.createTempFile(workFolder, "flood-probe", ".out");
        Path errors = Files.createTempFile(workFolder, "flood-probe", ".err");
        try {
            Process process = new ProcessBuilder(java, "-Xmx" + plan.floodHeap(), "-XX:+UseSerialGC",
                    "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    FloodProbe.class.getName(), Long.toString(plan.floodBytes()), directory.toString())
                    .redirectOutput(output.toFile())
                    .redirectError(errors.toFile())
                    .start();
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return failed(plan, "did not finish within 10 minutes");
            }
            String result = Files.readAllLines(output, StandardCharsets.UTF_8).stream()
                    .filter(line -> line.startsWith("RESULT ")).findFirst().orElse(null);
            if (process.exitValue() != 0 || result == null) {
                String stderr = Files.readString(errors, StandardCharsets.UTF_8).strip();
                return failed(plan, "exit status " + process.exitValue() + ": "
                        + stderr.lines().limit(5).reduce((a, b) -> a + " / " + b).orElse("no output"));
            }
            JsonNode json = new ObjectMapper().readTree(result.substring("RESULT ".length()));
            long baseline = json.get("baselineHeap").longValue();
            String failure = json.get("failure").asText();
            long total = json.get("totalBytes").longValue();
            boolean completed = failure.equals("null") && total == plan.floodBytes();
            return new Result(completed,
                    completed ? null : "the run ended with " + failure + " after " + total + " bytes",
                    plan.floodBytes(), plan.floodHeap(), json.get("maxHeap").longValue(), baseline,
                    json.get("peakHeapUsed").longValue(), json.get("peakHeapUsed").longValue() - baseline,
                    json.get("maxLiveAfterCollection").longValue() - baseline, total,
                    json.get("truncated").booleanValue(), json.get("millis").longValue(),
                    json.get("cpuNanos").longValue() / 1_000_000, json.get("collections").longValue());
        } finally {
            Files.deleteIfExists(output);
            Files.deleteIfExists(errors);
            // The flooding agent writes nothing there.
            Files.deleteIfExists(directory);
        }
    }

    private static Result failed(Plan plan, String why) {
        return new Result(false, why, plan.floodBytes(), plan.floodHeap(), 0, 0, 0, 0, 0, 0, false, 0, 0, 0);
    }
}
