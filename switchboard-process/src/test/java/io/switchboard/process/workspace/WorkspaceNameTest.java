package io.switchboard.process.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WorkspaceNameTest {
    /** The hashes are the first 8 hexadecimal digits of {@code printf '%s' ID | sha256sum}. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            01-api-02-1                  | 01-api-02-1
            task_7.b                     | task_7.b
            feature/Login page           | feature-login-page-cdad2f61
            API-1                        | API-1
            TASK-7.2_b                   | TASK-7.2_b
            a b                          | a-b-c8687a08
            a/b                          | a-b-c14cddc0
            ../etc                       | etc-f7f9121f
            x.lock                       | x.lock-f53b5310
            a..b                         | a.b-f62b4241
            日本語                        | 77710aed
            Task 1: Add the token bucket | task-1-add-the-token-bucket-0502e50e
            """)
    void anIdIsKeptWhenSafeAndOtherwiseMadeSafeWithItsHash(String id, String name) {
        WorkspaceName mapped = WorkspaceName.of(id);

        assertThat(mapped.name()).isEqualTo(name);
        assertThat(mapped.taskId()).isEqualTo(id);
        assertThat(mapped.branch()).isEqualTo("switchboard/" + name);
        assertThat(mapped.folder(3)).isEqualTo(name + "-3");
    }

    @Test
    void aLongIdIsCutBeforeItsHash() {
        String id = "x".repeat(65);

        String name = WorkspaceName.of(id).name();

        assertThat(name).hasSize(WorkspaceName.MAX_LENGTH).startsWith("x".repeat(55) + "-");
        assertThat(WorkspaceName.of("x".repeat(64)).name()).isEqualTo("x".repeat(64));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "a\nb", "tab\there"})
    void anIdThatCannotBeMappedIsRefusedAndQuoted(String id) {
        assertThatThrownBy(() -> WorkspaceName.of(id))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("a task id must not");
    }

    @Test
    void aLineEndIsQuotedVisibly() {
        assertThatThrownBy(() -> WorkspaceName.of("a\nb"))
                .hasMessage("a task id must not hold control characters (a line end, a tab…), was 'a\\u000ab'");
    }

    @Test
    void everyNameIsAValidBranchComponentAndDistinctIdsGetDistinctNames() {
        long seed = new Random().nextLong();
        System.out.println("WorkspaceNameTest seed " + seed);
        Random random = new Random(seed);
        String alphabet = "abcXYZ019 ./_-:~^?*[\\@{}é日\u00a0";
        Set<String> ids = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 5000; i++) {
            StringBuilder id = new StringBuilder();
            int length = 1 + random.nextInt(80);
            for (int j = 0; j < length; j++) {
                id.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            if (id.toString().isBlank() || !ids.add(id.toString())) {
                continue;
            }
            String name = WorkspaceName.of(id.toString()).name();
            assertThat(name).as("seed %s, id '%s'", seed, id).matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
                    .doesNotContain("..").doesNotEndWith(".lock").doesNotEndWith(".");
            assertThat(names.add(name)).as("seed %s: '%s' is a new name", seed, name).isTrue();
        }
    }
}
