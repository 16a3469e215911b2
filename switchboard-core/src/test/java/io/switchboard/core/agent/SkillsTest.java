package io.switchboard.core.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SkillsTest {

    @ParameterizedTest(name = "\"{0}\" -> \"{1}\"")
    @CsvSource(delimiter = '|', textBlock = """
            code-review       | code-review
            Code Review       | code-review
            code_review       | code-review
            '  code--review ' | code-review
            -code-review-     | code-review
            JAVA              | java
            c++               | c++
            ''                | ''
            """)
    void oneSpellingPerName(String name, String expected) {
        assertThat(Skills.normalize(name)).isEqualTo(expected);
    }

    @RepeatedTest(20)
    void agreesWithLowercasingAndJoiningTheWordsWithDashes(RepetitionInfo repetition) {
        long seed = 7919L * repetition.getCurrentRepetition();
        SplittableRandom random = new SplittableRandom(seed);
        String alphabet = "abcXYZ09.+-_ \tÉé";
        for (int i = 0; i < 500; i++) {
            StringBuilder name = new StringBuilder();
            int length = random.nextInt(12);
            for (int j = 0; j < length; j++) {
                name.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String expected = Arrays.stream(name.toString().toLowerCase(Locale.ROOT).split("[-_\\s]+"))
                    .filter(word -> !word.isEmpty())
                    .collect(Collectors.joining("-"));

            assertThat(Skills.normalize(name.toString())).as("seed %d, name \"%s\"", seed, name).isEqualTo(expected);
        }
    }
}
