package io.switchboard.input.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

/**
 * Whatever a user writes, the loader either returns a config or throws one {@link io.switchboard.input.InputException}:
 * never a raw exception from the parser or a core record. Each repetition mutates the starter config a few times
 * with a generator seeded from the repetition number, so a failure is replayed by its seed.
 */
class MutatedConfigTest {
    private static final String[] NASTY_VALUES = {"-1", "0", "1e999", "-0.0", "\"\"", "[]", "{}", "~", "x", "[x, ~]",
        "{a: 1}", "2147483648", "0s", "-5m", "true", "'  '", "[--flag, ~]", "&a x", "*a", "!!binary AA==", "\"\\t\""};

    @RepeatedTest(300)
    void mutatedConfigsLoadOrFailWithAnInputException(RepetitionInfo repetition) {
        long seed = 0x5EED_0000L + repetition.getCurrentRepetition();
        Random random = new Random(seed);
        List<String> lines = new ArrayList<>(Arrays.asList(uncommentedStarter().split("\n")));
        int mutations = 1 + random.nextInt(3);
        for (int i = 0; i < mutations; i++) {
            mutate(lines, random);
        }
        String text = String.join("\n", lines);

        Throwable thrown = catchThrowable(() -> ConfigLoader.parse("switchboard.yaml", text));

        assertThat(thrown)
                .as("seed %s gave a raw exception for:%n%s", seed, text)
                .satisfiesAnyOf(
                        t -> assertThat(t).isNull(),
                        t -> assertThat(t).isExactlyInstanceOf(io.switchboard.input.InputException.class));
    }

    private static void mutate(List<String> lines, Random random) {
        int at = random.nextInt(lines.size());
        String line = lines.get(at);
        switch (random.nextInt(4)) {
            case 0 -> lines.remove(at);
            case 1 -> lines.add(at, line);
            case 2 -> {
                int colon = line.indexOf(": ");
                String value = NASTY_VALUES[random.nextInt(NASTY_VALUES.length)];
                lines.set(at, colon < 0 ? line + " " + value : line.substring(0, colon + 2) + value);
            }
            default -> {
                int cut = line.isEmpty() ? 0 : random.nextInt(line.length());
                lines.set(at, line.substring(0, cut));
            }
        }
    }

    private static String uncommentedStarter() {
        StringBuilder out = new StringBuilder();
        for (String line : StarterConfig.text().split("\n")) {
            out.append(line.matches("^\\s*# \\s*[a-z_-]+:(\\s.*)?$") ? line.replaceFirst("# ", "") : line).append('\n');
        }
        return out.toString();
    }
}
