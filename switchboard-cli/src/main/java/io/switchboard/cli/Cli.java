package io.switchboard.cli;

import io.switchboard.input.InputException;
import java.io.PrintWriter;
import picocli.CommandLine;

/** Builds the command line and maps every failure to an exit code and a one-line message, in one place. */
final class Cli {
    private Cli() {
    }

    /** Runs one command; never exits the JVM. */
    static int run(Shell shell, String... args) {
        SwitchboardCommand root = new SwitchboardCommand(shell);
        CommandLine commandLine = commandLine(root);
        try {
            return commandLine.execute(args);
        } finally {
            root.close();
        }
    }

    static CommandLine commandLine(SwitchboardCommand root) {
        CommandLine commandLine = new CommandLine(root);
        commandLine.setOut(root.shell().out());
        commandLine.setErr(root.shell().err());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> report(root, exception));
        commandLine.setParameterExceptionHandler((exception, args) -> {
            PrintWriter err = exception.getCommandLine().getErr();
            err.println("switchboard: " + exception.getMessage());
            err.println("Try '" + exception.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return ExitCodes.USAGE;
        });
        return commandLine;
    }

    /** The exception-to-exit-code mapping. User errors are one line; only internal errors offer a trace. */
    static int report(SwitchboardCommand root, Exception exception) {
        PrintWriter err = root.shell().err();
        if (exception instanceof CliException cli) {
            err.println("switchboard: " + cli.getMessage());
            return cli.exitCode();
        }
        if (exception instanceof io.switchboard.input.task.TaskNotFoundException notFound) {
            err.println("switchboard: " + notFound.getMessage());
            return ExitCodes.NOT_FOUND;
        }
        if (exception instanceof InputException input) {
            err.println("switchboard: " + input.getMessage());
            return ExitCodes.USAGE;
        }
        if (exception instanceof StoreUnavailableException store) {
            err.println("switchboard: " + store.getMessage());
            return ExitCodes.STORE;
        }
        err.println("switchboard: internal error: " + exception);
        if ("1".equals(root.shell().env().get("SWITCHBOARD_DEBUG"))) {
            exception.printStackTrace(err);
        } else {
            err.println("Set SWITCHBOARD_DEBUG=1 to see the stack trace.");
        }
        return ExitCodes.INTERNAL;
    }
}
