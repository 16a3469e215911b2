package io.switchboard.process.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WorkspaceSettingsTest {
    @Test
    void theDefaultsAreTheNamedConstants() {
        assertThat(WorkspaceSettings.defaults()).isEqualTo(new WorkspaceSettings(Path.of(".switchboard/worktrees"),
                Path.of(".switchboard/copies"), new GitIdentity("Switchboard", "switchboard@localhost"), "git",
                Duration.ofMinutes(2)));
        assertThat(WorkspaceSettings.DEFAULT_AUTHOR).hasToString("Switchboard <switchboard@localhost>");
    }

    static Stream<Arguments> badValues() {
        WorkspaceSettings defaults = WorkspaceSettings.defaults();
        return Stream.of(
                Arguments.of((Supplier<Object>) () -> defaults.withGitTimeout(Duration.ZERO),
                        "the git timeout must be more than zero, was PT0S"),
                Arguments.of((Supplier<Object>) () -> defaults.withGitProgram(" "),
                        "the git program must not be blank, was ' '"),
                Arguments.of((Supplier<Object>) () -> defaults.withWorktreeRoot(Path.of("")),
                        "the worktree root must name a folder, was ''"),
                Arguments.of((Supplier<Object>) () -> defaults.withCopyRoot(Path.of("")),
                        "the copy root must name a folder, was ''"),
                Arguments.of((Supplier<Object>) () -> new GitIdentity("Bot <x>", "bot@example.com"),
                        "a git identity's name must not be blank or hold <, > or a line end, was 'Bot <x>'"),
                Arguments.of((Supplier<Object>) () -> new GitIdentity("Bot", ""),
                        "a git identity's email must not be blank or hold <, > or a line end, was ''"));
    }

    @ParameterizedTest
    @MethodSource("badValues")
    void aBadValueIsRefusedAndQuoted(Supplier<Object> settings, String message) {
        assertThatThrownBy(settings::get).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }
}
