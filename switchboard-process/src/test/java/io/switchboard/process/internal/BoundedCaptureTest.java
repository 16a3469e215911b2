package io.switchboard.process.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.execution.CapturedOutput;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

class BoundedCaptureTest {
    @Test
    void aShortStreamIsKeptWhole() {
        BoundedCapture capture = new BoundedCapture(4, 4);
        capture.append(bytes("abcdef"), 0, 6);

        assertThat(capture.captured(6)).isEqualTo(new CapturedOutput("abcdef", 6, false));
    }

    @Test
    void aLongStreamKeepsItsHeadAndTailAndSaysHowMuchIsOmitted() {
        BoundedCapture capture = new BoundedCapture(3, 4);
        capture.append(bytes("abcdefghijklmnop"), 0, 16);

        assertThat(capture.captured(16)).isEqualTo(new CapturedOutput("abc\n… [9 bytes omitted] …\nmnop", 16, true));
    }

    @Test
    void aCharacterCutByTheHeadOrTailIsLeftOutWhole() {
        BoundedCapture capture = new BoundedCapture(2, 2);
        byte[] text = bytes("a☃bcdefgh☃");
        capture.append(text, 0, text.length);

        assertThat(capture.captured(text.length).text())
                .isEqualTo("a\n… [" + (text.length - 1) + " bytes omitted] …\n");
    }

    @Test
    void theEndOfTheStreamIsTheLastBytesKept() {
        BoundedCapture capture = new BoundedCapture(3, 5);
        capture.append(bytes("0123456789"), 0, 10);

        assertThat(capture.end(3)).isEqualTo("789");
        assertThat(capture.end(100)).isEqualTo("56789");
    }

    @RepeatedTest(20)
    void whateverTheChunksTheHeadAndTailAreTheStreamsFirstAndLastBytes(TestInfo test) {
        long seed = 104729L * test.getDisplayName().hashCode();
        Random random = new Random(seed);
        byte[] stream = new byte[random.nextInt(200_000)];
        for (int i = 0; i < stream.length; i++) {
            stream[i] = (byte) ('a' + random.nextInt(26));
        }
        int head = random.nextInt(20_000);
        int tail = random.nextInt(20_000);
        BoundedCapture capture = new BoundedCapture(head, tail);
        for (int at = 0; at < stream.length; ) {
            int chunk = Math.min(stream.length - at, 1 + random.nextInt(random.nextBoolean() ? 100 : 30_000));
            capture.append(stream, at, chunk);
            at += chunk;
        }

        CapturedOutput captured = capture.captured(stream.length);

        assertThat(capture.size()).as("seed %d", seed).isEqualTo(stream.length);
        if (stream.length <= head + tail) {
            assertThat(captured.text()).as("seed %d", seed).isEqualTo(new String(stream, UTF_8));
        } else {
            assertThat(captured.text()).as("seed %d", seed).isEqualTo(new String(stream, 0, head, UTF_8) + "\n… ["
                    + (stream.length - head - tail) + " bytes omitted] …\n"
                    + new String(Arrays.copyOfRange(stream, stream.length - tail, stream.length), UTF_8));
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }
}
