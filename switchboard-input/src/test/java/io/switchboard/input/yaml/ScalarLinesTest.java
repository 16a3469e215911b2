package io.switchboard.input.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A position inside a scalar's text maps back to a line of the file where the text keeps the file's lines. */
class ScalarLinesTest {

    private static YamlValue prompt(String yaml) {
        return YamlDocument.parse("f.yaml", yaml).orElseThrow().asMap().get("prompt");
    }

    @Test
    void aLiteralBlockKeepsTheFilesLinesBlankOnesIncluded() {
        YamlValue value = prompt("""
                # a comment
                prompt: |

                  first
                  second

                  fourth
                """);

        String text = value.asString();
        assertThat(value.lineAt(text.indexOf("first"))).isEqualTo(4);
        assertThat(value.lineAt(text.indexOf("second"))).isEqualTo(5);
        assertThat(value.lineAt(text.indexOf("fourth"))).isEqualTo(7);
    }

    @Test
    void aStrippedLiteralBlockWithAnIndentationIndicatorToo() {
        YamlValue value = prompt("""
                prompt: |2-
                    indented
                  second
                """);

        assertThat(value.asString()).isEqualTo("  indented\nsecond");
        assertThat(value.lineAt(value.asString().indexOf("second"))).isEqualTo(3);
    }

    @Test
    void anyOtherScalarIsPlacedOnTheLineItStarts() {
        assertThat(prompt("\nprompt: one line\n").lineAt(4)).isEqualTo(2);
        assertThat(prompt("prompt: >\n  folded\n  text\n").lineAt(8)).isEqualTo(1);
        assertThat(prompt("prompt: \"quoted\n  on two lines\"\n").lineAt(10)).isEqualTo(1);
    }
}
