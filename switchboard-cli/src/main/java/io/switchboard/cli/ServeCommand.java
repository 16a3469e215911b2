package io.switchboard.cli;

import io.switchboard.store.Store;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code switchboard serve}: an orchestrator that runs whatever is submitted to its database, side by side with any
 * number of others. Each task is claimed by one orchestrator (PostgreSQL's {@code FOR UPDATE SKIP LOCKED}); an
 * orchestrator that stops heartbeating has its attempts abandoned and its tasks taken over by the others.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Run submitted tasks ('switchboard submit'), up to --parallel at a time, sharing the",
            "database with other orchestrators: each task is claimed by one; the work of an orchestrator",
            "that stops heartbeating is taken over. With --amqp, workers' agents are routed to as well.",
            "SIGTERM or Ctrl-C: no new tasks, running agents get execution.grace, claims are released."},
        footer = {"", "Exit codes: 0 stopped (or, with --until-empty, nothing left to run), 2 bad usage,",
            "5 database unavailable at start, 9 broker unreachable at start, 130 stopped by a signal."})
final class ServeCommand implements Callable<Integer> {
    @ParentCommand
    SwitchboardCommand root;

    @Option(names = "--parallel", paramLabel = "N", description = "Run up to N tasks at once (default 4).")
    int parallel = 4;

    @Option(names = "--until-empty", description = "Return once no task is left unfinished (for batches and tests).")
    boolean untilEmpty;

    @Option(names = "--poll", paramLabel = "DURATION", converter = OrchestrateCommand.DurationConverter.class,
            description = "How often to look for claimable tasks when nothing else wakes it (default 200ms).")
    Duration poll = Duration.ofMillis(200);

    @Option(names = "--json", description = "Print progress as JSON lines.")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
        if (parallel < 1 || parallel > OrchestrateCommand.MOST_PARALLEL) {
            throw CliException.usage("--parallel must be from 1 to " + OrchestrateCommand.MOST_PARALLEL + ", was "
                    + parallel);
        }
        if (!poll.isPositive()) {
            throw CliException.usage("--poll must be more than zero, was " + poll);
        }
        Workspace workspace = root.workspace();
        Store store = workspace.syncedStore();
        try (Orchestration orchestration = new Orchestration(workspace, store,
                Runners.local(workspace.config(), root.shell().err()), Map.of(), null, json)) {
            root.shell().err().println("switchboard: orchestrator " + orchestration.id() + " serving, up to "
                    + parallel + " tasks at once");
            root.shell().err().flush();
            int ran = orchestration.serve(parallel, untilEmpty, poll);
            root.shell().err().println("switchboard: orchestrator " + orchestration.id() + " ran " + ran + " task"
                    + (ran == 1 ? "" : "s"));
            return orchestration.interrupted() ? ExitCodes.INTERRUPTED : ExitCodes.OK;
        }
    }
}
