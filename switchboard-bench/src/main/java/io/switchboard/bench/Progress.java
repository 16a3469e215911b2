package io.switchboard.bench;

import java.io.PrintStream;

/** Lines on standard error that say what the run is doing, each with the minutes and seconds it has taken. */
final class Progress {
    private final PrintStream out;
    private final long start = System.nanoTime();

    Progress(PrintStream out) {
        this.out = out;
    }

    void step(String format, Object... args) {
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        out.printf("bench [%d:%02d] %s%n", seconds / 60, seconds % 60, String.format(format, args));
        out.flush();
    }
}
