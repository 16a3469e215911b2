package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exit codes scripts rely on are the same in {@link ExitCodes}, the root command's help and the README. */
class ExitCodesTest {
    private static final Path README = Path.of("..", "README.md").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void everyExitCodeIsListedOnceInTheHelpAndInTheReadmeAndNoOtherIs() throws IOException {
        List<Integer> codes = codes();
        assertThat(codes).doesNotHaveDuplicates();

        String help = new CliRun(dir).run("--help").out();
        String footer = help.substring(help.indexOf("Exit codes:")).replaceAll("\\s+", " ");
        assertThat(numbersIn(footer, "(?:: |, )(\\d+) ")).containsExactlyInAnyOrderElementsOf(codes);

        String readme = Files.readString(README);
        int start = readme.indexOf("Exit codes: `0` ok");
        String paragraph = readme.substring(start, readme.indexOf("\n\n", start));
        assertThat(numbersIn(paragraph, "`(\\d+)`")).containsExactlyInAnyOrderElementsOf(codes);
    }

    @Test
    void aStoppedMergeAndAHandoffNotLetGoHaveCodesOfTheirOwn() {
        String help = new CliRun(dir).run("--help").out().replaceAll("\\s+", " ");

        assertThat(help).contains(ExitCodes.HELD + " a running task was not let go in time (handoff)",
                ExitCodes.MERGE_STOPPED + " a merge stopped");
        assertThat(new CliRun(dir).run("merge", "--help").out().replaceAll("\\s+", " "))
                .contains(ExitCodes.MERGE_STOPPED + " a branch did not merge");
    }

    private static List<Integer> codes() {
        return Arrays.stream(ExitCodes.class.getDeclaredFields())
                .filter(field -> Modifier.isStatic(field.getModifiers()) && field.getType() == int.class)
                .map(ExitCodesTest::value).toList();
    }

    private static int value(Field field) {
        try {
            return field.getInt(null);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    private static List<Integer> numbersIn(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        List<Integer> found = new java.util.ArrayList<>();
        while (matcher.find()) {
            found.add(Integer.parseInt(matcher.group(1)));
        }
        return found;
    }
}
