package io.switchboard.process.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineSplitterTest {
    private final List<String> lines = new ArrayList<>();

    @Test
    void linesAreSplitOnLineFeedsWhateverTheChunks() {
        LineSplitter splitter = splitter(100);
        byte[] text = "one\r\ntwo\n\nthree".getBytes(UTF_8);
        for (int at = 0; at < text.length; at++) {
            splitter.write(text, at, 1);
        }
        splitter.finish();

        assertThat(lines).containsExactly("one|false", "two|false", "|false", "three|false");
    }

    @Test
    void aLineLongerThanTheCapIsCutOnACharacterAndMarked() {
        LineSplitter splitter = splitter(5);
        byte[] text = "abcd☃efgh\nok\n".getBytes(UTF_8);
        splitter.write(text, 0, text.length);
        splitter.finish();

        assertThat(lines).containsExactly("abcd|true", "ok|false");
    }

    @Test
    void aLongLastLineWithoutAnEndIsStillHandedOver() {
        LineSplitter splitter = splitter(3);
        byte[] text = "abcdef".getBytes(UTF_8);
        splitter.write(text, 0, text.length);
        splitter.finish();

        assertThat(lines).containsExactly("abc|true");
    }

    private LineSplitter splitter(int cap) {
        return new LineSplitter(cap, (line, truncated) -> lines.add(line + "|" + truncated));
    }
}
