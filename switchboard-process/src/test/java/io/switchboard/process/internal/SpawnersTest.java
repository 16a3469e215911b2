package io.switchboard.process.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.process.RunnerSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both ways of starting a process behave alike where the supervisor relies on it: exit values, sessions, pipes,
 * the environment and working directory given, no descriptor of this JVM let through, and a clear error for a
 * program that cannot start.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SpawnersTest {
    private static final RunThreads THREADS = new RunThreads();
    private static final Map<String, String> ENVIRONMENT = Map.of("PATH", "/usr/bin:/bin", "SB_ONLY", "this one");

    @TempDir
    Path dir;

    static Stream<Spawner> spawners() {
        Spawner jdk = Spawners.choose(RunnerSettings.defaults().withNativeSpawn(false), THREADS);
        return Spawners.posixSpawner(THREADS).map(posix -> Stream.of(posix, jdk)).orElseGet(() -> Stream.of(jdk));
    }

    @Test
    void onAJvmThatCanCallPosixSpawnAgentsStartWithIt() {
        // The build runs its tests with native access allowed (the parent pom's argLine).
        boolean canCall = Runtime.version().feature() >= 22 && System.getProperty("os.name").startsWith("Linux")
                && java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()
                        .contains("--enable-native-access=ALL-UNNAMED");

        String method = Spawners.choose(RunnerSettings.defaults(), THREADS).method();

        assertThat(method)
                .as("on Java %s with native access the posix_spawn starter must load; a JDK 21 build leaves it out, "
                        + "and a compile error in src/main/java22 does too", Runtime.version())
                .isEqualTo(canCall ? "posix_spawn" : "ProcessBuilder through setsid");
    }

    @Test
    void withoutAGroupOfItsOwnProcessesStartThroughProcessBuilderAlone() {
        Spawner spawner = Spawners.choose(RunnerSettings.defaults().withNewProcessGroup(false), THREADS);

        assertThat(spawner.method()).isEqualTo("ProcessBuilder");
        assertThat(spawner.ownSession()).isFalse();
    }

    @ParameterizedTest
    @MethodSource("spawners")
    void anExitStatusAndADeathBySignalReadAsTheJdkReportsThem(Spawner spawner) throws Exception {
        Process exits = spawner.start(List.of("sh", "-c", "exit 7"), dir, ENVIRONMENT);
        Process killed = spawner.start(List.of("sh", "-c", "kill -KILL $$"), dir, ENVIRONMENT);

        assertThat(exits.waitFor()).isEqualTo(7);
        assertThat(killed.waitFor()).isEqualTo(128 + 9);
        assertThat(exits.isAlive()).isFalse();
        assertThat(exits.onExit().get()).isSameAs(exits);
    }

    @ParameterizedTest
    @MethodSource("spawners")
    void eachProcessLeadsASessionAndProcessGroupOfItsOwn(Spawner spawner) throws Exception {
        Process process = spawner.start(List.of("sleep", "30"), dir, ENVIRONMENT);
        try {
            // /proc/PID/stat: pid (comm) state ppid pgrp session …; the comm has no spaces here.
            String[] stat = awaitExec(process.pid(), "sleep");

            assertThat(spawner.ownSession()).isTrue();
            assertThat(Long.parseLong(stat[4])).as("process group").isEqualTo(process.pid());
            assertThat(Long.parseLong(stat[5])).as("session").isEqualTo(process.pid());
        } finally {
            process.destroyForcibly().waitFor();
        }
    }

    @ParameterizedTest
    @MethodSource("spawners")
    void standardInputReachesTheProgramByteForByteAndItsOutputAndErrorComeBackApart(Spawner spawner)
            throws Exception {
        byte[] prompt = ("-x $(rm -rf /) `id` \"quoted\" 'single'\nline two\n" + "é".repeat(70_000))
                .getBytes(StandardCharsets.UTF_8);
        Process process = spawner.start(List.of("sh", "-c", "cat; echo to-stderr >&2"), dir, ENVIRONMENT);

        Thread writer = Thread.ofPlatform().start(() -> {
            try (OutputStream in = process.getOutputStream()) {
                in.write(prompt);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        byte[] out = readAll(process.getInputStream());
        byte[] err = readAll(process.getErrorStream());
        writer.join();

        assertThat(process.waitFor()).isZero();
        assertThat(out).isEqualTo(prompt);
        assertThat(new String(err, StandardCharsets.UTF_8)).isEqualTo("to-stderr\n");
    }

    @ParameterizedTest
    @MethodSource("spawners")
    void theProgramGetsExactlyTheEnvironmentAndWorkingDirectoryGiven(Spawner spawner) throws Exception {
        Path inside = Files.createDirectories(dir.resolve("work dir"));

        Process environment = spawner.start(List.of("env"), inside, ENVIRONMENT);
        Process directory = spawner.start(List.of("pwd", "-P"), inside, ENVIRONMENT);

        assertThat(lines(environment)).containsExactlyInAnyOrder("PATH=/usr/bin:/bin", "SB_ONLY=this one");
        assertThat(lines(directory)).containsExactly(inside.toRealPath().toString());
    }

    @ParameterizedTest
    @MethodSource("spawners")
    void noDescriptorOfThisJvmReachesTheProgram(Spawner spawner) throws Exception {
        // ls holds one more descriptor of its own while it lists: the folder it reads.
        Process process = spawner.start(List.of("ls", "/proc/self/fd"), dir, ENVIRONMENT);

        assertThat(lines(process)).containsExactlyInAnyOrder("0", "1", "2", "3");
    }

    @Test
    void withPosixSpawnNoSignalIsBlockedOrIgnoredInTheProgram() throws Exception {
        Process process = posix().start(List.of("grep", "-E", "^Sig(Blk|Ign)", "/proc/self/status"), dir,
                ENVIRONMENT);

        List<String> lines = lines(process);
        // Signals 32 and 33 are glibc's own (thread cancellation, set*id): sigfillset leaves them out, and a program
        // linked with glibc sets them up itself.
        long glibcOwn = (1L << 31) | (1L << 32);
        assertThat(lines).hasSize(2);
        assertThat(Long.parseLong(lines.get(0).substring("SigBlk:\t".length()), 16)).as("blocked").isZero();
        assertThat(Long.parseLong(lines.get(1).substring("SigIgn:\t".length()), 16) & ~glibcOwn).as("ignored")
                .isZero();
    }

    @ParameterizedTest
    @MethodSource("spawners")
    void destroyEndsTheProgramWithTermAndAfterItsEndDoesNothing(Spawner spawner) throws Exception {
        Process process = spawner.start(List.of("sleep", "30"), dir, ENVIRONMENT);
        awaitExec(process.pid(), "sleep");

        process.destroy();

        assertThat(process.waitFor()).isEqualTo(128 + 15);
        process.destroy();
        process.destroyForcibly();
        assertThat(process.exitValue()).isEqualTo(128 + 15);
    }

    @Test
    void withPosixSpawnAProgramThatCannotStartIsAnErrorNamingIt() {
        // Through setsid, the JDK starts setsid, which then fails to exec the program: it exits 127 instead (and
        // the runner looks the program up before it starts anything).
        Spawner spawner = posix();

        assertThatThrownBy(() -> spawner.start(List.of("no-such-agent-xyz"), dir, ENVIRONMENT))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Cannot run program \"no-such-agent-xyz\"")
                .hasMessageContaining("No such file or directory");
        assertThatThrownBy(() -> spawner.start(List.of("true"), dir.resolve("missing"), ENVIRONMENT))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("in directory \"" + dir.resolve("missing") + "\"");
        assertThatThrownBy(() -> spawner.start(List.of("echo", "a\0b"), dir, ENVIRONMENT))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("invalid null character");
    }

    /** The posix_spawn starter; on a JVM that cannot call it (Java 21), the test does not apply. */
    private static Spawner posix() {
        Spawner posix = Spawners.posixSpawner(THREADS).orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(posix != null, "posix_spawn is not callable on this JVM");
        return posix;
    }

    /** The process's /proc stat fields once it runs {@code program} (right after the start it may not yet). */
    private static String[] awaitExec(long pid, String program) throws Exception {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        for (int i = 0; i < 2_000; i++) {
            String[] fields = Files.readString(stat).split(" ");
            if (fields[1].equals("(" + program + ")")) {
                return fields;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("process " + pid + " never ran " + program);
    }

    private static List<String> lines(Process process) throws Exception {
        process.getOutputStream().close();
        String out = new String(readAll(process.getInputStream()), StandardCharsets.UTF_8);
        readAll(process.getErrorStream());
        assertThat(process.waitFor()).as("exit of %s", process).isZero();
        return Arrays.asList(out.split("\n"));
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }
}
