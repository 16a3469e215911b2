package io.switchboard.cli;

import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.task.TaskOptions;
import io.switchboard.core.workflow.OnFailure;
import io.switchboard.core.workflow.Step;
import io.switchboard.core.workflow.StepAgent;
import io.switchboard.core.workflow.Workflow;
import io.switchboard.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * How the tasks of a workflow run run: where, with which variables, within which limits and budget. The options of
 * {@code workflow run}, also filled in from {@code orchestrate}'s own for {@code orchestrate --workflow}.
 */
final class RunSettings {
    @Option(names = "--budget", paramLabel = "DOLLARS",
            description = "The most the whole run may spend, every step together (default: budgets.per_plan).")
    Double budget;

    @Option(names = "--max-cost", paramLabel = "DOLLARS",
            description = "The most each step may cost; a step's own max_cost may lower it.")
    Double maxCost;

    @Option(names = "--exclude", paramLabel = "AGENT", split = ",",
            description = "Never choose AGENT for a step the router places (repeatable or comma-separated).")
    List<String> exclude = new ArrayList<>();

    @Option(names = "--deadline", paramLabel = "DURATION", converter = OrchestrateCommand.DurationConverter.class,
            description = "Do not retry a step's task later than this after the run started (e.g. 30m, 2h).")
    Duration deadline;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = OrchestrateCommand.DurationConverter.class,
            description = "Wall-clock limit of each attempt (default: the agent's, else execution.timeout).")
    Duration timeout;

    @Option(names = "--idle-timeout", paramLabel = "DURATION",
            converter = OrchestrateCommand.DurationConverter.class,
            description = "Stop an attempt whose agent prints nothing for this long.")
    Duration idleTimeout;

    @Option(names = "--workdir", paramLabel = "DIR",
            description = "Where the agents run and the steps' files are read (default: the working directory).")
    Path workdir;

    @Option(names = "--env", paramLabel = "NAME=VALUE",
            description = "Give agents this variable (NAME must be on the allow-list: execution.env_allow or an "
                    + "agent's env). Its value is treated as a secret and never stored.")
    Map<String, String> env = new LinkedHashMap<>();

    /** The agent named by {@code orchestrate --prefer}; no option of its own here. */
    String prefer;

    /**
     * Checks every value before anything is written or run. An agent the workflow names for a step, or hands a step
     * off to, pins that step's task, which {@code --exclude} does not outrank: naming it there is refused rather than
     * ignored.
     */
    void check(Workspace workspace, SwitchboardConfig config, Store store, Workflow workflow) {
        if (budget != null && !(budget >= 0)) {
            throw CliException.usage("--budget must be zero or more, was " + budget);
        }
        if (maxCost != null && !(maxCost >= 0)) {
            throw CliException.usage("--max-cost must be zero or more, was " + maxCost);
        }
        OrchestrateCommand.limit("--timeout", timeout);
        OrchestrateCommand.limit("--idle-timeout", idleTimeout);
        OrchestrateCommand.limit("--deadline", deadline);
        Path directory = workingDirectory(workspace);
        if (!Files.isDirectory(directory)) {
            throw CliException.usage("--workdir " + directory + " is not a directory");
        }
        if (!Files.isWritable(directory)) {
            throw CliException.usage("the working directory " + directory + " is not writable by this user");
        }
        OrchestrateCommand.checkEnv(config, env);
        Set<String> known = WorkflowRuns.agentNames(config, store);
        for (String name : exclude) {
            if (!known.contains(name)) {
                throw CliException.notFound("unknown agent '" + name + "' in --exclude; known agents: "
                        + (known.isEmpty() ? "none" : String.join(", ", known)));
            }
        }
        for (Step step : workflow.steps()) {
            String named = step.agent() instanceof StepAgent.Named agent ? agent.name() : null;
            String handoff = step.onFailure().action() == OnFailure.Action.HANDOFF ? step.onFailure().agent() : null;
            for (String pinned : java.util.Arrays.asList(named, handoff)) {
                if (pinned != null && exclude.contains(pinned)) {
                    throw CliException.usage("--exclude " + pinned + ": step '" + step.id() + "' "
                            + (pinned.equals(named) ? "runs on " : "is handed off to ") + pinned
                            + ", and an agent a workflow names is not excluded; remove it from --exclude or change "
                            + "the workflow");
                }
            }
        }
    }

    Path workingDirectory(Workspace workspace) {
        return workdir == null ? workspace.base() : Orchestration.absolute(workspace.base(), workdir);
    }

    /** What every step's task runs with. */
    TaskOptions taskOptions(Workspace workspace, Instant now) {
        return new TaskOptions(workingDirectory(workspace).toString(), maxCost,
                deadline == null ? null : now.plus(deadline), prefer, Set.copyOf(exclude), timeout, idleTimeout);
    }

    /** The budget of the whole run: {@code --budget}, else the configuration's per-plan budget. */
    Double runBudget(SwitchboardConfig config) {
        return budget != null ? budget : config.budgets().perPlan();
    }
}
