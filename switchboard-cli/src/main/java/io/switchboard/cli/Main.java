package io.switchboard.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;

/** The {@code switchboard} executable. The only place that exits the JVM. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        // On JDK 21 a console exists only when both standard input and output are a terminal.
        boolean terminal = System.console() != null && System.getenv("CI") == null;
        Shell shell = new Shell(out, err, System.getenv(), Path.of("").toAbsolutePath(), InstantSource.system(),
                terminal, true);
        int code = Cli.run(shell, args);
        out.flush();
        err.flush();
        System.exit(code);
    }
}
