package io.switchboard.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.broker.WorkMessageCodec.Decoded;
import io.switchboard.core.agent.Mode;
import io.switchboard.core.remote.WorkMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorkMessageCodecTest {
    private static final String VALID = """
            {"version": 1, "task_id": "T-1", "attempt": 2, "agent": "codex", "mode": "full-auto",
             "prompt": "Fix it", "deadline": "2026-03-01T10:15:30.123Z", "priority": 7}""";

    private final WorkMessageCodec codec = new WorkMessageCodec();

    @Test
    void aMessageReadsBackEqualWhateverItsPrompt() {
        WorkMessage inline = WorkMessage.of("T-1", 2, "codex", Mode.FULL_AUTO,
                new WorkMessage.Inline("Réparer « ceci » ✓\n\"quoted\""), Instant.parse("2026-03-01T10:15:30.123Z"), 7);
        WorkMessage referenced = WorkMessage.of("T-2", 1, "claude-code", Mode.PLAN,
                WorkMessage.Reference.toTask("T-2"), null, 0);

        assertThat(codec.decode(codec.encode(inline))).isEqualTo(new Decoded.Message(inline));
        assertThat(codec.decode(codec.encode(referenced))).isEqualTo(new Decoded.Message(referenced));
    }

    @Test
    void theWrittenFormIsTheDocumentedOne() {
        WorkMessage message = WorkMessage.of("T-1", 2, "codex", Mode.AUTO, WorkMessage.Reference.toTask("T-1"), null,
                4);

        assertThat(new String(codec.encode(message), StandardCharsets.UTF_8)).isEqualTo(
                "{\"version\":1,\"task_id\":\"T-1\",\"attempt\":2,\"agent\":\"codex\",\"mode\":\"auto\","
                        + "\"prompt_ref\":\"task:T-1\",\"deadline\":null,\"priority\":4}");
        assertThat(codec.decode(VALID.getBytes(StandardCharsets.UTF_8))).isInstanceOf(Decoded.Message.class);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            {"version": 2, "task_id": "T-1"} | unknown message version 2; this code reads version 1
            {"task_id": "T-1"} | the message has no version
            {"version": "1"} | the version is not a whole number, was "1"
            [1, 2] | the body is not a JSON object
            not json | the body is not one JSON value
            {"version": 1} {"version": 1} | the body is not one JSON value
            {"version": 1, "version": 1} | the body is not one JSON value
            {"version": 1, "task_id": "T-1", "colour": "red"} | unknown field colour
            {"version": 1, "attempt": 1} | task_id: missing
            """)
    void aBodyThatIsNotAMessageIsRejectedWithItsReason(String body, String reason) {
        assertThat(codec.decode(body.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(Decoded.Rejected.class, rejected -> assertThat(rejected.reason())
                        .startsWith(reason));
    }

    @ParameterizedTest(name = "{0} → {2}")
    @CsvSource(delimiter = '|', textBlock = """
            "attempt": 2       | "attempt": "2"                  | attempt: must be a whole number, was "2"
            "attempt": 2       | "attempt": 0                    | impossible value: attempts are numbered from 1, was 0
            "mode": "full-auto"| "mode": "yolo"                  | mode: must be plan, auto or full-auto, was 'yolo'
            "priority": 7      | "priority": 12                  | impossible value: a priority is from 0 to 9, was 12
            "priority": 7      | "priority": 7.5                 | priority: must be a whole number, was 7.5
            "prompt": "Fix it" | "prompt": "", "prompt_ref": "x" | exactly one of prompt and prompt_ref is given, both
            "prompt": "Fix it",| "prompt": null, | exactly one of prompt and prompt_ref is given, neither was
            "deadline": "2026-03-01T10:15:30.123Z" | "deadline": "tomorrow" | deadline: not an ISO-8601 instant
            "agent": "codex"   | "agent": 5                      | agent: must be a string, was number
            """)
    void aWrongFieldIsNamed(String valid, String wrong, String reason) {
        String body = VALID.replace(valid, wrong);
        assertThat(body).isNotEqualTo(VALID);

        assertThat(codec.decode(body.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(Decoded.Rejected.class, rejected -> assertThat(rejected.reason())
                        .startsWith(reason));
    }

    @Test
    void emptyHugeAndNonUtf8BodiesAreRejectedUnread() {
        assertThat(codec.decode(new byte[0])).isEqualTo(new Decoded.Rejected("the body is empty"));
        assertThat(codec.decode(null)).isEqualTo(new Decoded.Rejected("the body is empty"));
        assertThat(codec.decode(new byte[WorkMessageCodec.MAX_BODY_BYTES + 1]))
                .isInstanceOfSatisfying(Decoded.Rejected.class, rejected -> assertThat(rejected.reason())
                        .contains("more than the"));
        assertThat(codec.decode(new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}))
                .isEqualTo(new Decoded.Rejected("the body is not UTF-8 text"));
    }

    @RepeatedTest(20)
    void noBodyMakesDecodingThrow() {
        long seed = new Random().nextLong();
        System.out.println("seed " + seed);
        Random random = new Random(seed);
        byte[] valid = VALID.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 200; i++) {
            byte[] body = valid.clone();
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                body[random.nextInt(body.length)] = (byte) random.nextInt(256);
            }
            assertThat(codec.decode(body)).isNotNull();
        }
    }
}
