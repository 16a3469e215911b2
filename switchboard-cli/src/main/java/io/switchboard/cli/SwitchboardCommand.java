package io.switchboard.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code switchboard}: the root command and its global options. */
@Command(name = "switchboard",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Routes each task to the AI agent most likely to succeed at it, and explains why.",
        subcommands = {
            InitCommand.class,
            AgentsCommand.class,
            RouteCommand.class,
            OrchestrateCommand.class,
            SubmitCommand.class,
            ServeCommand.class,
            WorkflowCommand.class,
            ResumeCommand.class,
            MergeCommand.class,
            HandoffCommand.class,
            AttemptsCommand.class,
            DecisionsCommand.class,
            StatsCommand.class,
            WorkerCommand.class,
        },
        footer = {"", "Exit codes: 0 ok, 1 internal error, 2 bad usage or input, 3 no agent can take",
                  "the task, 4 not found, 5 database unavailable, 6 a task or workflow failed,",
                  "7 a running task was not let go in time (handoff), 8 a merge stopped,",
                  "9 the broker is unreachable (worker), 10 a worker's agent clashes with",
                  "a registered profile, 130 stopped by SIGTERM or Ctrl-C."})
final class SwitchboardCommand implements Runnable {
    private final Shell shell;
    private Workspace workspace;

    @Option(names = {"-C", "--directory"}, paramLabel = "DIR",
            description = "Run as if started in DIR (config, task folders and .switchboard/ are found there).")
    Path directory;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Config file (default: switchboard.yaml in the working directory; "
                    + ".switchboard/agents.yaml is read too).")
    Path config;

    @Option(names = "--db", paramLabel = "URL",
            description = "Database: a jdbc:postgresql://… or jdbc:sqlite:… URL (default: $SWITCHBOARD_DB, "
                    + "else SQLite at .switchboard/state.db).")
    String db;

    @Option(names = "--amqp", paramLabel = "URL",
            description = "Broker for remote workers' agents (amqp://user:password@host:port/vhost; default: "
                    + "$SWITCHBOARD_AMQP). Without one, workers' agents are not routed to.")
    String amqp;

    @Option(names = {"-v", "--verbose"}, description = "Print the effective configuration (secrets redacted) to stderr.")
    boolean verbose;

    SwitchboardCommand(Shell shell) {
        this.shell = shell;
    }

    Shell shell() {
        return shell;
    }

    /** The workspace the global options describe, created on first use. */
    Workspace workspace() {
        if (workspace == null) {
            Path base = directory == null ? shell.workingDirectory() : shell.workingDirectory().resolve(directory);
            String url = db != null ? db : shell.env().get("SWITCHBOARD_DB");
            String broker = amqp != null ? amqp : shell.env().get("SWITCHBOARD_AMQP");
            workspace = new Workspace(shell, base.normalize(), config, url, broker, verbose);
        }
        return workspace;
    }

    void close() {
        if (workspace != null) {
            workspace.close();
        }
    }

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(shell.out());
    }
}
