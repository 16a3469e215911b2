package io.switchboard.process;

import io.switchboard.core.execution.RunRequest;
import io.switchboard.process.internal.ProcessTable;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a test can ask the process table after a run. */
final class Processes {
    private Processes() {
    }

    /** The running processes carrying exactly this marker. */
    static List<Long> carrying(String marker) {
        return ProcessTable.carrying(RunRequest.MARKER_VARIABLE, marker::equals);
    }

    /** Whether the process runs (a zombie does not). */
    static boolean running(long pid) {
        return ProcessTable.running(pid);
    }

    /** The number after {@code word} in the text, e.g. the pid in {@code grandchild 1234}. */
    static long numberAfter(String word, String text) {
        Matcher matcher = Pattern.compile(Pattern.quote(word) + " (\\d+)").matcher(text);
        if (!matcher.find()) {
            throw new AssertionError("no '" + word + " N' in: " + text);
        }
        return Long.parseLong(matcher.group(1));
    }
}
