package io.switchboard.process.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.agent.Adapter;
import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.agent.Mode;
import io.switchboard.testkit.MutableClock;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The rules every adapter keeps, whatever its CLI. */
class AllAdaptersTest {
    private static final Path PROMPT_FILE = Path.of("/run/switchboard/attempt-3/prompt.md");
    /** Every flag, in any CLI, that skips permission checks. */
    private static final Set<String> BYPASS_FLAGS = Set.of("--dangerously-skip-permissions", "bypassPermissions",
            "--dangerously-bypass-approvals-and-sandbox", "--yolo", "yolo", "--approval-mode=yolo", "--force",
            "--full-auto", "--yes-always-commands");

    static Stream<Arguments> everyAdapterAndMode() {
        List<Arguments> cases = new ArrayList<>();
        for (Adapter kind : Adapter.values()) {
            for (Mode mode : Mode.values()) {
                cases.add(Arguments.of(kind, mode));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("everyAdapterAndMode")
    void thePromptNeverReachesTheCommandLine(Adapter kind, Mode mode) {
        AgentProfile profile = profile(kind);
        CliAdapter adapter = Adapters.of(kind, new MutableClock(), ZoneId.of("UTC"));

        for (boolean bypass : new boolean[] {false, true}) {
            switch (adapter.promptDelivery(profile)) {
                // Nothing on the command line carries the prompt: the adapter is not even given a file.
                case STDIN -> assertThat(adapter.argv(profile, mode, bypass, null)).doesNotContain(PROMPT_FILE.toString());
                // Only the file's path, once.
                case FILE -> assertThat(adapter.argv(profile, mode, bypass, PROMPT_FILE))
                        .containsOnlyOnce(PROMPT_FILE.toString());
            }
        }
    }

    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("everyAdapterAndMode")
    void noBypassFlagWithoutBypassPermissionsNorOutsideFullAuto(Adapter kind, Mode mode) {
        AgentProfile profile = profile(kind);
        CliAdapter adapter = Adapters.of(kind, new MutableClock(), ZoneId.of("UTC"));

        assertThat(adapter.argv(profile, mode, false, PROMPT_FILE)).doesNotContainAnyElementsOf(BYPASS_FLAGS);
        if (mode != Mode.FULL_AUTO) {
            assertThat(adapter.argv(profile, mode, true, PROMPT_FILE)).doesNotContainAnyElementsOf(BYPASS_FLAGS);
        }
    }

    @Test
    void fullAutoWithBypassPermissionsPassesEachClisOwnBypassAndOnlyThat() {
        assertThat(bypassFlagsIn(Adapter.CLAUDE_CODE)).containsExactly("--dangerously-skip-permissions");
        assertThat(bypassFlagsIn(Adapter.CODEX)).containsExactly("--dangerously-bypass-approvals-and-sandbox");
        assertThat(bypassFlagsIn(Adapter.GEMINI)).containsExactly("yolo");
        assertThat(bypassFlagsIn(Adapter.CURSOR)).containsExactly("--force");
        // Aider has no such switch; a command's flags are its own.
        assertThat(bypassFlagsIn(Adapter.AIDER)).isEmpty();
        assertThat(bypassFlagsIn(Adapter.COMMAND)).isEmpty();
    }

    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("everyAdapterAndMode")
    void theProfilesModeFlagsComeLast(Adapter kind, Mode mode) {
        AgentProfile profile = profile(kind);
        AgentProfile withFlags = new AgentProfile(profile.name(), kind, profile.agentType(), profile.pool(),
                List.of(), List.of(), List.of(), List.of(), 0, AgentProfile.DEFAULT_CONTEXT_LIMIT,
                profile.availability(), 1, Map.of(mode, List.of("--extra", "value")), profile.command());
        CliAdapter adapter = Adapters.of(kind, new MutableClock(), ZoneId.of("UTC"));

        assertThat(adapter.argv(withFlags, mode, false, PROMPT_FILE)).endsWith("--extra", "value")
                .startsWith(adapter.argv(profile, mode, false, PROMPT_FILE).toArray(String[]::new));
    }

    private static List<String> bypassFlagsIn(Adapter kind) {
        AgentProfile profile = profile(kind);
        List<String> argv = Adapters.of(kind).argv(profile, Mode.FULL_AUTO, true, PROMPT_FILE);
        return argv.stream().filter(BYPASS_FLAGS::contains).toList();
    }

    /** A plain profile; the command adapter needs a command, so it gets a stand-in script. */
    private static AgentProfile profile(Adapter kind) {
        AgentProfile profile = AgentOutput.profile(kind);
        return kind == Adapter.COMMAND ? AgentOutput.withCommand(profile, "./agent.sh", "--quiet") : profile;
    }
}
