package io.switchboard.core.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.core.agent.Mode;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorkMessageTest {

    @ParameterizedTest(name = "''{0}'' is priority {1}")
    @CsvSource(nullValues = "null", value = {
            "null, 4", "'', 4", "Medium, 4", "whenever, 4",
            "Critical, 9", "' URGENT ', 9", "blocker, 9", "highest, 9", "P0, 9",
            "High, 7", "p1, 7",
            "Low, 2", "minor, 2", "P3, 2",
            "lowest, 0", "trivial, 0", "p4, 0"})
    void aTasksPriorityWordSetsItsMessagePriority(String word, int priority) {
        assertThat(WorkPriority.of(word)).isEqualTo(priority);
    }

    @Test
    void aMessageOfThisCodeHasTheCurrentVersion() {
        WorkMessage message = WorkMessage.of("T-1", 2, "codex", Mode.AUTO, WorkMessage.Reference.toTask("T-1"),
                Instant.EPOCH, WorkPriority.HIGH);

        assertThat(message.version()).isEqualTo(WorkMessage.VERSION).isEqualTo(1);
        assertThat(message.prompt()).isEqualTo(new WorkMessage.Reference("task:T-1"));
    }

    @Test
    void impossibleValuesAreRefusedQuotingThem() {
        WorkMessage.Prompt prompt = new WorkMessage.Inline("p");
        assertThatThrownBy(() -> WorkMessage.of("T-1", 0, "codex", Mode.AUTO, prompt, null, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was 0");
        assertThatThrownBy(() -> WorkMessage.of("T-1", 1, "codex", Mode.AUTO, prompt, null, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("from 0 to 9, was 10");
        assertThatThrownBy(() -> WorkMessage.of("T-1", 1, " ", Mode.AUTO, prompt, null, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names its agent");
        assertThatThrownBy(() -> new WorkMessage(0, "T-1", 1, "codex", Mode.AUTO, prompt, null, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version is 1 or more, was 0");
        assertThatThrownBy(() -> new WorkMessage.Reference(""))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
