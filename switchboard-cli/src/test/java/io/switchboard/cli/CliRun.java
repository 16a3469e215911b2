package io.switchboard.cli;

import io.switchboard.testkit.MutableClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Runs the CLI in-process in a working directory, with a clock the test moves, capturing both streams. */
final class CliRun {
    final Path directory;
    final MutableClock clock = new MutableClock();
    /** The clock commands see: the hand-moved one, unless a test needs real waiting (retry back-offs). */
    java.time.InstantSource clockInUse = clock;
    final Map<String, String> env = new HashMap<>();

    CliRun(Path directory) {
        this.directory = directory;
    }

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Shell shell = new Shell(new PrintWriter(out, true), new PrintWriter(err, true), Map.copyOf(env), directory,
                clockInUse);
        int code = Cli.run(shell, args);
        return new Result(code, out.toString(), err.toString());
    }

    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}
