package io.switchboard.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.broker.BrokerEndpoint;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.task.Task;
import io.switchboard.core.task.TaskOptions;
import io.switchboard.core.task.TaskSource;
import io.switchboard.core.task.TaskStatus;
import io.switchboard.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code switchboard submit}: stores tasks for the orchestrators that {@code serve} the database to run, and runs
 * nothing itself. A task that already ended stays as it is unless {@code --again}; a task given as text is always run
 * again, as with {@code orchestrate}.
 */
@Command(name = "submit", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Store tasks, queued, for 'switchboard serve' to run (one or several orchestrators",
            "sharing the database). Runs nothing itself. With --amqp, the orchestrators serving",
            "the database with that broker are told at once, instead of finding the tasks at",
            "their next look (serve --poll)."},
        footer = {"", "Exit codes: 0 stored, 2 bad usage or input, 4 unknown task id or agent,",
            "5 database unavailable."})
final class SubmitCommand implements Callable<Integer> {
    @ParentCommand
    SwitchboardCommand root;

    @Mixin
    RouteOptions options = new RouteOptions();

    @Option(names = "--deadline", paramLabel = "DURATION", converter = OrchestrateCommand.DurationConverter.class,
            description = "Do not retry a task later than this after it was accepted (e.g. 30m, 2h).")
    Duration deadline;

    @Option(names = "--workdir", paramLabel = "DIR",
            description = "Where local agents run (default: the working directory); workers use their own.")
    Path workdir;

    @Option(names = "--again", description = "Queue tasks that already ended once more (their attempts continue).")
    boolean again;

    @Override
    public Integer call() {
        if (options.plan != null) {
            throw CliException.usage("submit takes --task, --file or --prompt; a plan runs with orchestrate --plan");
        }
        Workspace workspace = root.workspace();
        SwitchboardConfig config = workspace.config();
        List<Task> tasks = RouteCommand.tasks(workspace, config, options);
        RouteCommand.validateAgentNames(config, options, workspace, false);
        // The broker's URL is checked before anything is stored; the broker is told once everything is.
        BrokerEndpoint broker = workspace.amqpUrl() == null ? null : endpoint(workspace.amqpUrl());
        Store store = workspace.syncedStore();
        Instant now = root.shell().clock().instant();
        Path directory = workdir == null ? workspace.base() : Orchestration.absolute(workspace.base(), workdir);
        TaskOptions taskOptions = new TaskOptions(directory.toString(), options.maxCost,
                deadline == null ? null : now.plus(deadline), options.prefer, Set.copyOf(options.exclude), null,
                null);
        ArrayNode json = Json.array();
        for (Task task : tasks) {
            boolean runAgain = again || task.source().equals(TaskSource.COMMAND_LINE);
            TaskStatus status = store.submit(task, taskOptions, runAgain, now);
            if (options.json) {
                ObjectNode line = json.addObject();
                line.put("task", task.id());
                line.put("state", status.state().configName());
                line.put("reason", status.reason());
            } else {
                root.shell().out().println(task.id() + "  " + status.state().configName() + "  " + status.reason());
            }
        }
        if (options.json) {
            root.shell().out().println(Json.line(json));
        }
        if (broker != null) {
            RemoteDispatch.ringSubmitted(broker, RemoteDispatch.topology(root.shell().env()), root.shell().err());
        }
        return ExitCodes.OK;
    }

    private static BrokerEndpoint endpoint(String amqpUrl) {
        try {
            return BrokerEndpoint.of(amqpUrl);
        } catch (IllegalArgumentException e) {
            throw CliException.usage("--amqp: " + e.getMessage());
        }
    }
}
