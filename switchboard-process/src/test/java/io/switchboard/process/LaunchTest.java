package io.switchboard.process;

import static io.switchboard.process.AgentRunBuilder.aRunOf;
import static io.switchboard.process.AgentRunBuilder.anAgentRun;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.execution.FailureType;
import io.switchboard.core.execution.RunObserver;
import io.switchboard.core.execution.RunRequest;
import io.switchboard.core.execution.RunResult;
import io.switchboard.process.adapter.CommandAdapter;
import io.switchboard.testkit.agent.FakeAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the agent runs, with what environment, and which program. */
class LaunchTest {
    @TempDir
    Path dir;

    private final LocalAgentRunner runner = new LocalAgentRunner(RunnerSettings.defaults(),
            kind -> new CommandAdapter());

    @Test
    void theAgentRunsInTheWorkingDirectoryOfItsAttempt() throws Exception {
        RunResult result = run(anAgentRun("write", "here.txt", "written").in(dir).build());

        assertThat(result.failure()).isNull();
        assertThat(dir.resolve("here.txt")).hasContent("written");
    }

    @Test
    void theEnvironmentIsExactlyTheRequestedOnePlusTheMarker() throws Exception {
        Path dump = dir.resolve("env.bin");
        AgentRunBuilder request = anAgentRun("env-to", dump.toString()).in(dir).env("FOO", "bar")
                .env(RunRequest.MARKER_VARIABLE, "a value the marker replaces");

        RunResult result = run(request.build());

        assertThat(result.failure()).isNull();
        Map<String, String> seen = new TreeMap<>();
        for (String entry : Files.readString(dump, UTF_8).split("\0")) {
            seen.put(entry.substring(0, entry.indexOf('=')), entry.substring(entry.indexOf('=') + 1));
        }
        assertThat(seen).containsExactlyInAnyOrderEntriesOf(Map.of("PATH", AgentRunBuilder.PATH, "FOO", "bar",
                RunRequest.MARKER_VARIABLE, request.marker()));
    }

    @Test
    void aWorkingDirectoryThatDoesNotExistIsAnInvalidTaskNamingIt() throws Exception {
        Path missing = dir.resolve("gone");

        RunResult result = run(anAgentRun("ok").in(missing).build());

        assertInvalidTask(result, missing + " does not exist");
    }

    @Test
    void aWorkingDirectoryThatIsAFileIsAnInvalidTaskNamingIt() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "");

        RunResult result = run(anAgentRun("ok").in(file).build());

        assertInvalidTask(result, file + " is not a directory");
    }

    @Test
    void aWorkingDirectoryThatIsNotWritableIsAnInvalidTaskNamingIt() throws Exception {
        Path created = Files.createDirectory(dir.resolve("read-only"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r-xr-xr-x")));
        // Root may write into any ordinary directory; a process's /proc directory refuses even root.
        Path readOnly = Files.isWritable(created) ? Path.of("/proc/1") : created;
        assertThat(Files.isWritable(readOnly)).isFalse();

        RunResult result = run(anAgentRun("ok").in(readOnly).build());

        assertInvalidTask(result, readOnly + " is not writable");
    }

    @Test
    void theProgramIsLookedUpOnTheAgentsPathAndStartedByItsAbsolutePath() throws Exception {
        Path bin = Files.createDirectory(dir.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("agent-cli"), Path.of(FakeAgent.command().get(0)));
        Path cmdline = dir.resolve("cmdline.bin");
        List<String> argv = new ArrayList<>(FakeAgent.command("cmdline-to", cmdline.toString()));
        argv.set(0, "agent-cli");

        RunResult result = run(aRunOf(argv).in(dir).env("PATH", "/nowhere:" + bin).build());
        // The temporary folder's clean-up warns about every link that points out of it.
        Files.delete(bin.resolve("agent-cli"));

        assertThat(result.failure()).isNull();
        List<String> started = Arrays.asList(Files.readString(cmdline, UTF_8).split("\0"));
        assertThat(started.get(0)).isEqualTo(bin.resolve("agent-cli").toString());
        assertThat(started.subList(1, started.size())).isEqualTo(argv.subList(1, argv.size()));
    }

    @Test
    void aRelativeProgramPathStartsAtTheWorkingDirectory() throws Exception {
        Path tools = Files.createDirectory(dir.resolve("tools"));
        Files.createSymbolicLink(tools.resolve("agent"), Path.of(FakeAgent.command().get(0)));
        List<String> argv = new ArrayList<>(FakeAgent.command("ok"));
        argv.set(0, "tools/agent");

        RunResult result = run(aRunOf(argv).in(dir).build());
        // The temporary folder's clean-up warns about every link that points out of it.
        Files.delete(tools.resolve("agent"));

        assertThat(result.failure()).isNull();
        assertThat(result.stdout().text()).isEqualTo("ok\n");
    }

    @Test
    void aProgramThatIsNotOnThePathIsBinaryMissingNamingIt() throws Exception {
        RunResult result = run(aRunOf(List.of("no-such-agent-cli", "--help")).in(dir).build());

        assertThat(result.failure().type()).isEqualTo(FailureType.BINARY_MISSING);
        assertThat(result.failure().message()).contains("'no-such-agent-cli'").contains(AgentRunBuilder.PATH);
        assertThat(result.exitCode()).isNull();
    }

    @Test
    void anAgentWithNoPathInItsEnvironmentFindsNoProgramByName() throws Exception {
        RunResult result = run(aRunOf(List.of("java")).in(dir).withoutEnv("PATH").build());

        assertThat(result.failure().type()).isEqualTo(FailureType.BINARY_MISSING);
        assertThat(result.failure().message()).contains("'java'").contains("no PATH");
    }

    @Test
    void aProgramWithoutExecutePermissionIsNotExecutableNamingIt() throws Exception {
        Path bin = Files.createDirectory(dir.resolve("bin"));
        Files.writeString(bin.resolve("agent-cli"), "#!/bin/sh\n");
        Files.writeString(dir.resolve("local-agent"), "#!/bin/sh\n");

        RunResult onPath = run(aRunOf(List.of("agent-cli")).in(dir).env("PATH", bin.toString()).build());
        RunResult byPath = run(aRunOf(List.of("./local-agent")).in(dir).build());

        assertThat(onPath.failure().type()).isEqualTo(FailureType.NOT_EXECUTABLE);
        assertThat(onPath.failure().message()).contains("'agent-cli'").contains(bin.resolve("agent-cli").toString());
        assertThat(byPath.failure().type()).isEqualTo(FailureType.NOT_EXECUTABLE);
        assertThat(byPath.failure().message()).contains("./local-agent");
    }

    private RunResult run(RunRequest request) throws InterruptedException {
        return runner.start(request, RunObserver.NONE).await();
    }

    private static void assertInvalidTask(RunResult result, String message) {
        assertThat(result.failure().type()).isEqualTo(FailureType.INVALID_TASK);
        assertThat(result.failure().nonRetryable()).isTrue();
        assertThat(result.failure().message()).contains(message);
        assertThat(result.exitCode()).isNull();
    }
}
