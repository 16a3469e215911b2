package io.switchboard.testkit.agent;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fake agent's own steps, run as the subprocess it is meant to be. */
class FakeAgentTest {
    @TempDir
    Path dir;

    /** What one run of the fake agent did. */
    record Ran(int status, String stdout, String stderr) {
    }

    @Test
    void theCommandRunsThisClassOnTheCurrentJavaWithFastStartFlags() {
        List<String> argv = FakeAgent.command("ok");

        assertThat(argv.get(0)).isEqualTo(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        assertThat(argv).containsSubsequence("-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                FakeAgent.class.getName(), "ok");
    }

    @Test
    void okPrintsALineAndStopsThere() throws Exception {
        assertThat(run(Map.of(), "ok", "print", "never")).isEqualTo(new Ran(0, "ok\n", ""));
    }

    @Test
    void stepsRunInOrderOnBothStreamsAndTheAgentExitsAsTold() throws Exception {
        Ran ran = run(Map.of("NAME", "value"), "print", "one two", "print-part", "three", "stderr", "warned",
                "print-env", "NAME", "print-env", "UNSET", "exit", "7");

        assertThat(ran).isEqualTo(new Ran(7, "one two\nthreevalue\n\n", "warned\n"));
    }

    @Test
    void writeCreatesAFileInTheWorkingDirectoryAndFailIfExistsExitsOnIt() throws Exception {
        Ran first = run(Map.of(), "fail-if-exists", "done.txt", "9", "write", "done.txt", "first run");
        Ran second = run(Map.of(), "fail-if-exists", "done.txt", "9", "write", "done.txt", "second run");

        assertThat(first.status()).isZero();
        assertThat(second.status()).isEqualTo(9);
        assertThat(dir.resolve("done.txt")).hasContent("first run");
    }

    @Test
    void twoAgentsWaitingForEachOthersFileMeetAndDeleteRemovesAFile() throws Exception {
        Process a = start(FakeAgent.command("write", "a-here", "x", "wait-for", "b-here", "20000", "print", "met"),
                Map.of());
        Ran b = run(Map.of(), "write", "b-here", "x", "wait-for", "a-here", "20000", "print", "met");

        a.getOutputStream().close();
        assertThat(new String(a.getInputStream().readAllBytes(), UTF_8)).isEqualTo("met\n");
        assertThat(a.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(a.exitValue()).isZero();
        assertThat(b).isEqualTo(new Ran(0, "met\n", ""));

        assertThat(run(Map.of(), "delete", "b-here", "delete", "never-there").status()).isZero();
        assertThat(dir.resolve("b-here")).doesNotExist();
    }

    @Test
    void waitForGivesUpAfterItsTimeButWaitAtMostGoesOn() throws Exception {
        Ran waited = run(Map.of(), "wait-for", "never", "50", "print", "not reached");
        Ran went = run(Map.of(), "wait-at-most", "never", "50", "print", "went on");

        assertThat(waited.status()).isEqualTo(FakeAgent.EXIT_WAITED_IN_VAIN);
        assertThat(waited.stderr()).contains("never did not appear within 50 ms");
        assertThat(went).isEqualTo(new Ran(0, "went on\n", ""));
    }

    @Test
    void aCountedAgentApprovesFromItsNthRunAndSleepsOnlyOnTheRunItIsTold() throws Exception {
        String[] reviewer = {"count", "reviews.count", "sleep-on-run", "1", "0", "print-from-run", "3",
            "VERDICT: APPROVED", "VERDICT: CHANGES_REQUESTED"};

        List<String> printed = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            printed.add(run(Map.of(), reviewer).stdout());
        }

        assertThat(printed).containsExactly("VERDICT: CHANGES_REQUESTED\n", "VERDICT: CHANGES_REQUESTED\n",
                "VERDICT: APPROVED\n", "VERDICT: APPROVED\n");
        assertThat(dir.resolve("reviews.count")).hasContent("4");
    }

    @Test
    void countingRunsInParallelCountsEachOnce() throws Exception {
        List<Process> runs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            runs.add(start(FakeAgent.command("count", "runs.count"), Map.of()));
        }
        for (Process run : runs) {
            assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(run.exitValue()).isZero();
        }

        assertThat(dir.resolve("runs.count")).hasContent("5");
    }

    @Test
    void aStepThatReadsTheRunNumberNeedsCountFirst() throws Exception {
        Ran ran = run(Map.of(), "print-from-run", "2", "yes", "no");

        assertThat(ran.status()).isEqualTo(FakeAgent.EXIT_USAGE);
        assertThat(ran.stderr()).contains("'print-from-run' needs 'count FILE' before it");
    }

    @Test
    void theLogGetsOneWholeLinePerRunEvenFromRunsInParallel() throws Exception {
        Path log = dir.resolve("runs.log");
        List<Process> runs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ProcessBuilder builder = new ProcessBuilder(FakeAgent.command("--log", log.toString(), "print", "run " + i))
                    .directory(dir.toFile());
            builder.environment().put(FakeAgent.MARKER_VARIABLE, "attempt-" + i);
            runs.add(builder.start());
        }
        for (Process run : runs) {
            assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        List<String> lines = Files.readAllLines(log);
        assertThat(lines).hasSize(6);
        for (int i = 0; i < 6; i++) {
            String marker = "marker=attempt-" + i + " ";
            assertThat(lines).filteredOn(line -> line.startsWith(marker)).singleElement().asString()
                    .matches("marker=attempt-" + i + " pid=\\d+ steps=print run " + i);
        }
    }

    @Test
    void anUnknownStepOrAMissingResourceFailsSayingWhat() throws Exception {
        Ran unknown = run(Map.of(), "dance");
        Ran missing = run(Map.of(), "emit-resource", "no-such-output.jsonl");

        assertThat(unknown.status()).isEqualTo(FakeAgent.EXIT_USAGE);
        assertThat(unknown.stderr()).contains("unknown step 'dance'");
        assertThat(missing.status()).isEqualTo(FakeAgent.EXIT_NO_INPUT);
        assertThat(missing.stderr()).contains(FakeAgent.RESOURCES + "no-such-output.jsonl");
    }

    @Test
    void emitResourceCopiesARecordedOutputFromTheClasspath() throws Exception {
        Path classes = Files.createDirectories(dir.resolve("classes" + FakeAgent.RESOURCES));
        Files.writeString(classes.resolve("hello.jsonl"), "{\"type\":\"result\"}\n");
        List<String> argv = new ArrayList<>(FakeAgent.command("emit-resource", "hello.jsonl", "print", "after"));
        int classpath = argv.indexOf("-cp") + 1;
        argv.set(classpath, argv.get(classpath) + ":" + dir.resolve("classes"));

        Ran ran = run(argv, Map.of());

        assertThat(ran).isEqualTo(new Ran(0, "{\"type\":\"result\"}\nafter\n", ""));
    }

    @Test
    void ignoreTermKeepsTheAgentAliveThroughSigterm() throws Exception {
        Process agent = start(FakeAgent.command("ignore-term", "print", "ready", "sleep", "60000"), Map.of());
        try {
            BufferedReader stdout = agent.inputReader(UTF_8);
            assertThat(stdout.readLine()).isEqualTo("ready");

            // The handle's destroy only signals; Process.destroy would also close our end of the pipes.
            agent.toHandle().destroy();

            assertThat(stdout.readLine()).isEqualTo("ignored SIGTERM");
            assertThat(agent.isAlive()).isTrue();
        } finally {
            agent.destroyForcibly().waitFor();
        }
    }

    private Ran run(Map<String, String> environment, String... steps) throws Exception {
        return run(FakeAgent.command(steps), environment);
    }

    private Ran run(List<String> argv, Map<String, String> environment) throws Exception {
        Process agent = start(argv, environment);
        agent.getOutputStream().close();
        String stdout = new String(agent.getInputStream().readAllBytes(), UTF_8);
        String stderr = new String(agent.getErrorStream().readAllBytes(), UTF_8);
        assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Ran(agent.exitValue(), stdout, stderr);
    }

    private Process start(List<String> argv, Map<String, String> environment) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(argv).directory(dir.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        return builder.start();
    }
}
