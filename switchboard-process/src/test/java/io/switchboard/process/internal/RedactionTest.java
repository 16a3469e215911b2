package io.switchboard.process.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

class RedactionTest {
    private static final Redaction SECRETS = Redaction.of(Set.of("sk-secret-123", "secret", "päss☃"));

    @Test
    void everySecretInATextIsReplaced() {
        assertThat(SECRETS.apply("key sk-secret-123, word secret, päss☃!"))
                .isEqualTo("key [REDACTED], word [REDACTED], [REDACTED]!");
    }

    @Test
    void emptySecretsAreIgnored() {
        Redaction none = Redaction.of(Set.of(""));

        assertThat(none.isEmpty()).isTrue();
        assertThat(none.apply("text")).isEqualTo("text");
        assertThat(filtered(none, "text".getBytes(UTF_8), 1)).isEqualTo("text");
    }

    @Test
    void aSecretCutAtEveryPossiblePointIsStillReplaced() {
        String text = "a sk-secret-123 b secret c päss☃ d sk-secret-12 e";
        byte[] bytes = text.getBytes(UTF_8);
        for (int cut = 0; cut <= bytes.length; cut++) {
            assertThat(filteredAt(SECRETS, bytes, cut)).as("cut at %d", cut)
                    .isEqualTo("a [REDACTED] b [REDACTED] c [REDACTED] d sk-[REDACTED]-12 e");
        }
    }

    @Test
    void theLongestSecretStartingAtAPlaceWins() {
        assertThat(filtered(SECRETS, "sk-secret-123".getBytes(UTF_8), 1)).isEqualTo("[REDACTED]");
    }

    @RepeatedTest(20)
    void streamingGivesWhatRedactingTheWholeTextGives(TestInfo test) {
        long seed = 7919L * test.getDisplayName().hashCode();
        Random random = new Random(seed);
        String[] words = {"sk-secret-123", "secret", "päss☃", "sk-", "secre", "x", " ", "\n", "☃"};
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            text.append(words[random.nextInt(words.length)]);
        }
        byte[] bytes = text.toString().getBytes(UTF_8);

        String streamed = filtered(SECRETS, bytes, 1 + random.nextInt(40));

        assertThat(streamed).as("seed %d", seed).isEqualTo(SECRETS.apply(text.toString()));
    }

    private static String filteredAt(Redaction redaction, byte[] bytes, int cut) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Redaction.Filter filter = redaction.newFilter();
        filter.write(bytes, 0, cut, out::write);
        filter.write(bytes, cut, bytes.length - cut, out::write);
        filter.finish(out::write);
        return out.toString(UTF_8);
    }

    private static String filtered(Redaction redaction, byte[] bytes, int chunk) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Redaction.Filter filter = redaction.newFilter();
        for (int at = 0; at < bytes.length; at += chunk) {
            filter.write(bytes, at, Math.min(chunk, bytes.length - at), out::write);
        }
        filter.finish(out::write);
        return out.toString(UTF_8);
    }
}
