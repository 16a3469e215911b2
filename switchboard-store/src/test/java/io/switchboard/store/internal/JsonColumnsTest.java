package io.switchboard.store.internal;

import static io.switchboard.testkit.TaskBuilder.aTask;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.task.TaskDraft;
import io.switchboard.core.task.TaskSource;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The stored shape of a task's draft: what is written reads back equal, and what older versions wrote still reads. */
class JsonColumnsTest {

    @Test
    void aDraftsTimeLimitsAreWrittenAsIsoDurationsAndReadBackEqual() {
        TaskDraft draft = aTask().timingOutAfter(Duration.ofMinutes(45).plusNanos(7))
                .idleTimingOutAfter(Duration.ofSeconds(90)).build().draft();

        String json = JsonColumns.draft(draft);

        assertThat(json).contains("\"timeout\":\"PT45M0.000000007S\"", "\"idle_timeout\":\"PT1M30S\"");
        assertThat(JsonColumns.draft(json)).isEqualTo(draft);
    }

    @Test
    void aDraftWithoutTimeLimitsStatesThemAsNull() {
        TaskDraft draft = aTask().build().draft();

        String json = JsonColumns.draft(draft);

        assertThat(json).contains("\"timeout\":null", "\"idle_timeout\":null");
        assertThat(JsonColumns.draft(json)).isEqualTo(draft);
    }

    @Test
    void aDraftWrittenBeforeTaskFilesCouldSetTimeLimitsLoadsWithoutThem() {
        // Exactly what the store wrote before the draft had "timeout" and "idle_timeout".
        String stored = """
                {"id":"TASK-7","title":"Add the parser","prompt":"Add it.","type":"implement","work_type":null,\
                "complexity":40,"scope":null,"risk":null,"estimated_tokens":null,"needs_reasoning":null,\
                "needs_iteration":null,"priority":"High","tags":["api"],"plan":null,"sprint":null,"status":null,\
                "wave":null,"pool":null,"dependencies":[],"files":["Parser.java"],"verify":"make check",\
                "stated_at":{"complexity":"Metadata, line 5"},"source":{"location":"tasks/TASK-7.md","line":1}}""";

        TaskDraft draft = JsonColumns.draft(stored);

        assertThat(draft.timeout()).isNull();
        assertThat(draft.idleTimeout()).isNull();
        assertThat(draft.id()).isEqualTo("TASK-7");
        assertThat(draft.verify()).isEqualTo("make check");
        assertThat(draft.source()).isEqualTo(new TaskSource("tasks/TASK-7.md", 1));
    }
}
