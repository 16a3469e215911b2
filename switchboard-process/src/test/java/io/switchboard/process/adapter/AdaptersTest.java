package io.switchboard.process.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.agent.Adapter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AdaptersTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "CLAUDE_CODE, ClaudeCodeAdapter",
            "CODEX, CodexAdapter",
            "GEMINI, GeminiAdapter",
            "CURSOR, CursorAdapter",
            "AIDER, AiderAdapter",
            "COMMAND, CommandAdapter"})
    void eachKindHasItsAdapter(Adapter kind, String adapterClass) {
        assertThat(Adapters.of(kind).getClass().getSimpleName()).isEqualTo(adapterClass);
    }
}
